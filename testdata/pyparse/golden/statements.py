import os.path as p, sys
from . import x
from ..pkg.mod import (a as b, c,)
from .... import z
@decorator(arg)
@other.attr
async def f(a, /, b: int = 1, *args: str, c, d=2, **kw) -> "R":
    global g
    async with open(a) as fa, (b) as fb:
        async for i in aiter():
            await i
    x: int
    (y): int = 1
    z.w: list[int] = []
    x += 1; y <<= 2;
    del x, y[0], z.a
    return [*a, *b], {**kw}, {1, *a}
class C(Base, metaclass=Meta, **opts):
    def m(self): lambda x, *y, z=1, **w: (yield)
try:
    pass
except (A, B) as e:
    raise X from e
else:
    pass
finally:
    pass
try:
    pass
except* C:
    pass
while (n := next(it)) is not None and n not in seen:
    break
else:
    continue_ = [y for x in xs if x for y in x] + list(g for g in gs)
with (a as b, c as d,):
    pass
with (a, b):
    pass
assert x, "msg"
x = y = z = a if b else c
print(*args, sep="", **kw)
t = x[1:2, ::3, ...], x[i], x[a:b:c]
