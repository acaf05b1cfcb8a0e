# 3.12+ only: 3.11 rejects this file.
type Alias[T] = list[T]
def f[T: int, *Ts, **P](x: T) -> T: ...
class C[T]: pass
