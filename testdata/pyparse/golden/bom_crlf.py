x = 1
y = "crlf"
