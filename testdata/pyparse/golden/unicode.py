# Identifiers are NFKC-normalised; columns count UTF-8 bytes.
ﬁle = "é"
café = 'ünïcödé'; x = café
	# a tab-indented comment
if True:
	y = "\t"
