ints = [0, 00, 0x_1F, 0o17, 0b1010, 1_000_000, 123456789012345678901234567890]
floats = [0.0, 1., .5, 1e16, 1e15, 1e-5, 1e-4, 1.5e300, 1e400, 3.14_15, 0e5, 09.5]
imag = [1j, 2.5J, 1e20j, 0j, 1e400j]
strs = ['it\'s', "say \"hi\"", 'both \' and "', '\x00\x7f\xff\u0100\U0001F600', '\ud800', "\N{BULLET}", 'a\
b']
raw = [r'\d+\n', R"\\", b'\x00"\'', br'\x', Rb"ab"]
misc = [..., None, True, False, -1, +2, ~3, not 4]
