match command.split():
    case [action]:
        pass
    case [action, obj, *rest] if obj:
        pass
    case Point(x=0, y=0) | Point(1, 2):
        pass
    case {"key": value, **rest}:
        pass
    case -1 | 1.5 | 2+3j | -4-5j | "s" "t" | None | True:
        pass
    case (a, b) | [c, *_] as whole:
        pass
    case mod.CONST | _:
        pass
match = 1
match(x)
case = 2
