# f-strings: the versions report different spans for their parts.
name = "td"
a = f"plain {name} and {name!r:>{10}} {name=} {name = !s:^8}"
b = (f"first {a}"
     "middle"
     f"{b, a} last")
c = f'''multi
{a +
 b} {c!a}'''
d = u"u-prefixed" f"{x}" "tail"
e = f"{{escaped}} {x:{w}.{p}}" if False else f"{x:}"
f = f"{'nested'} {f'{x}'} {x:>10}"
g = f"\N{EM DASH} {x!r}\t"
