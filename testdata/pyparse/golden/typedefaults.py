# 3.13 only: type parameter defaults.
type A[T = int] = list[T]
class C[*Ts = *tuple[int], **P = [int]]: pass
