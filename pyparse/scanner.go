package pyparse

import (
	"bytes"
	"fmt"
	"unicode"
	"unicode/utf8"
)

// CPython's tokenizer limits: MAXLEVEL brackets and MAXINDENT indentation
// levels; deeper nesting is an error, which also bounds our recursion.
const (
	maxParenLevel  = 200
	maxIndentLevel = 100
)

// scanner turns decoded source into tokens, following CPython's tokenizer
// with PEP 701 f-string modes. It records errors and keeps going, so the
// parser can recover; the first error is the one CPython would report.
type scanner struct {
	src     []byte
	pos     int
	version Version

	tokens   []Token
	comments []*Comment
	errs     []*SyntaxError
	// commentSlab allocates the comments, kept with the File.
	commentSlab slab[Comment]

	indents    []int // indentation columns, tab stops of 8
	altIndents []int // the same with tabs counted as 1
	lineStart  bool  // at the start of a logical line, before its indentation
	lineHasTok bool  // the current logical line produced a token

	parens   []parenEntry
	fstrings []*fstringState
}

type parenEntry struct {
	ch  byte
	pos int
}

// fstringState is one open f-string: its quoting and its open replacement
// fields (innermost last).
type fstringState struct {
	quote  byte
	triple bool
	raw    bool
	start  int
	fields []fieldState
}

// fieldState is an open `{...}` replacement field; depth is len(parens) once
// its '{' is pushed, so a '}' or ':' at that depth belongs to the field.
type fieldState struct {
	depth  int
	inSpec bool
}

func newScanner(src []byte, v Version, tokens []Token) *scanner {
	if want := len(src)/4 + 16; cap(tokens) < want {
		// Sized at once (the stdlib's files have 4.5 to 11.5 bytes per
		// token, 6 overall) rather than grown by doubling, which left
		// each smaller buffer as garbage.
		tokens = make([]Token, 0, want)
	}
	return &scanner{
		src:        src,
		version:    v,
		tokens:     tokens[:0],
		indents:    []int{0},
		altIndents: []int{0},
		lineStart:  true,
	}
}

func (s *scanner) errorAt(start, end int, format string, args ...any) {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	s.errs = append(s.errs, &SyntaxError{Span: Span{Pos(start), Pos(end)}, Msg: msg, Line: -1, Col: -1})
}

func (s *scanner) emit(k TokenKind, start, end int) {
	s.tokens = append(s.tokens, Token{Kind: k, Start: Pos(start), End: Pos(end)})
	if k != NEWLINE && k != INDENT && k != DEDENT {
		s.lineHasTok = true
	}
}

// scanAll tokenizes the whole source.
func (s *scanner) scanAll() {
	for {
		if s.lineStart && len(s.parens) == 0 && len(s.fstrings) == 0 {
			if !s.indentation() {
				break
			}
		}
		if fs := s.literalMode(); fs != nil {
			if s.pos >= len(s.src) {
				break // finish() reports the unterminated f-string
			}
			s.scanFStringLiteral(fs)
			continue
		}
		if !s.scanToken() {
			break
		}
	}
	s.finish()
}

// literalMode returns the f-string whose literal text comes next, if any.
func (s *scanner) literalMode() *fstringState {
	if len(s.fstrings) == 0 {
		return nil
	}
	fs := s.fstrings[len(s.fstrings)-1]
	if len(fs.fields) == 0 {
		return fs
	}
	f := fs.fields[len(fs.fields)-1]
	if f.inSpec && len(s.parens) == f.depth {
		return fs
	}
	return nil
}

func (s *scanner) finish() {
	end := len(s.src)
	for len(s.fstrings) > 0 {
		fs := s.fstrings[len(s.fstrings)-1]
		s.fstrings = s.fstrings[:len(s.fstrings)-1]
		if fs.triple {
			s.errorAt(fs.start, fs.start, "unterminated triple-quoted f-string literal (detected at line %d)", s.lineOf(end))
		} else {
			s.errorAt(fs.start, fs.start, "unterminated f-string literal (detected at line %d)", s.lineOf(end))
		}
	}
	if len(s.parens) > 0 {
		p := s.parens[len(s.parens)-1]
		s.errorAt(p.pos, p.pos+1, "'%c' was never closed", p.ch)
		s.parens = s.parens[:0]
	}
	if s.lineHasTok {
		s.emit(NEWLINE, end, end)
		s.lineHasTok = false
	}
	for len(s.indents) > 1 {
		s.indents = s.indents[:len(s.indents)-1]
		s.emit(DEDENT, end, end)
	}
	s.emit(EOF, end, end)
}

func (s *scanner) lineOf(off int) int {
	n := 1
	for _, c := range s.src[:min(off, len(s.src))] {
		if c == '\n' {
			n++
		}
	}
	return n
}

// indentation measures a new line's indentation and emits INDENT/DEDENT.
// Blank and comment-only lines are skipped. It returns false at EOF.
func (s *scanner) indentation() bool {
	for {
		col, alt := 0, 0
		start := s.pos
		for s.pos < len(s.src) {
			switch s.src[s.pos] {
			case ' ':
				col++
				alt++
			case '\t':
				col = (col/8 + 1) * 8
				alt++
			case '\f':
				col, alt = 0, 0
			default:
				goto measured
			}
			s.pos++
		}
	measured:
		if s.pos >= len(s.src) {
			return false
		}
		switch c := s.src[s.pos]; {
		case c == '#':
			s.scanComment()
			continue
		case c == '\n':
			s.pos++
			continue
		case c == '\\' && s.pos+1 < len(s.src) && s.src[s.pos+1] == '\n':
			// A continuation line: CPython measures indentation on the
			// first physical line only when it holds a token; treat a bare
			// backslash line as part of the next line.
			s.pos += 2
			continue
		}
		s.lineStart = false
		top := s.indents[len(s.indents)-1]
		altTop := s.altIndents[len(s.altIndents)-1]
		switch {
		case col == top:
			if alt != altTop {
				s.errorAt(start, s.pos, "inconsistent use of tabs and spaces in indentation")
			}
		case col > top:
			if len(s.indents) >= maxIndentLevel {
				s.errorAt(start, s.pos, "too many levels of indentation")
			}
			if alt <= altTop {
				s.errorAt(start, s.pos, "inconsistent use of tabs and spaces in indentation")
			}
			s.indents = append(s.indents, col)
			s.altIndents = append(s.altIndents, alt)
			s.emit(INDENT, start, s.pos)
		default:
			for len(s.indents) > 1 && col < s.indents[len(s.indents)-1] {
				s.indents = s.indents[:len(s.indents)-1]
				s.altIndents = s.altIndents[:len(s.altIndents)-1]
				s.emit(DEDENT, s.pos, s.pos)
			}
			if col != s.indents[len(s.indents)-1] {
				s.errorAt(s.pos, s.pos, "unindent does not match any outer indentation level")
			} else if alt != s.altIndents[len(s.altIndents)-1] {
				s.errorAt(start, s.pos, "inconsistent use of tabs and spaces in indentation")
			}
		}
		return true
	}
}

func (s *scanner) scanComment() {
	start := s.pos
	for s.pos < len(s.src) && s.src[s.pos] != '\n' {
		s.pos++
	}
	s.comments = append(s.comments, node(&s.commentSlab, Comment{Span: Span{Pos(start), Pos(s.pos)}, Text: string(s.src[start:s.pos])}))
}

// innermostField returns the replacement field the scanner is inside, if any.
func (s *scanner) innermostField() (*fstringState, *fieldState) {
	if len(s.fstrings) == 0 {
		return nil, nil
	}
	fs := s.fstrings[len(s.fstrings)-1]
	if len(fs.fields) == 0 {
		return fs, nil
	}
	return fs, &fs.fields[len(fs.fields)-1]
}

// scanToken scans one token in regular mode. It returns false at EOF.
func (s *scanner) scanToken() bool {
	for s.pos < len(s.src) {
		c := s.src[s.pos]
		switch c {
		case ' ', '\t', '\f':
			s.pos++
			continue
		case '#':
			if _, f := s.innermostField(); f != nil && s.version < Py312 {
				s.errorAt(s.pos, s.pos+1, "f-string expression part cannot include '#'")
			}
			s.scanComment()
			continue
		case '\\':
			if _, f := s.innermostField(); f != nil && s.version < Py312 {
				s.errorAt(s.pos, s.pos+1, "f-string expression part cannot include a backslash")
			}
			if s.pos+1 < len(s.src) && s.src[s.pos+1] == '\n' {
				s.pos += 2
				if s.pos >= len(s.src) {
					s.errorAt(s.pos, s.pos, "unexpected EOF while parsing")
				}
				continue
			}
			if s.pos+1 >= len(s.src) {
				s.errorAt(s.pos, s.pos, "unexpected EOF while parsing")
				s.pos++
				return false
			}
			s.errorAt(s.pos+1, s.pos+1, "unexpected character after line continuation character")
			s.pos++
			continue
		case '\n':
			if len(s.parens) == 0 {
				if s.lineHasTok {
					s.emit(NEWLINE, s.pos, s.pos+1)
					s.lineHasTok = false
				}
				s.pos++
				s.lineStart = true
				return true
			}
			if fs, _ := s.innermostField(); fs != nil && !fs.triple && s.version < Py312 {
				s.errorAt(fs.start, fs.start, "unterminated string literal (detected at line %d)", s.lineOf(s.pos))
			}
			s.pos++
			continue
		}
		s.scanOne(c)
		return true
	}
	return false
}

func isIdentStartASCII(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

func isIdentContASCII(c byte) bool {
	return isIdentStartASCII(c) || c >= '0' && c <= '9'
}

func (s *scanner) scanOne(c byte) {
	start := s.pos
	switch {
	case isIdentStartASCII(c) || c >= utf8.RuneSelf:
		s.scanNameOrString()
		return
	case c >= '0' && c <= '9' || c == '.' && s.pos+1 < len(s.src) && isDigit(s.src[s.pos+1]):
		s.scanNumber()
		return
	case c == '"' || c == '\'':
		s.scanString(start, start, false, false, false)
		return
	}
	s.scanOperator(start)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (s *scanner) scanNameOrString() {
	start := s.pos
	nonASCII := false
	for s.pos < len(s.src) {
		c := s.src[s.pos]
		if isIdentContASCII(c) {
			s.pos++
			continue
		}
		if c < utf8.RuneSelf {
			break
		}
		r, size := utf8.DecodeRune(s.src[s.pos:])
		if !isXIDContinue(r) {
			if s.pos == start || !unicode.IsPrint(r) || !isPossibleIdentRune(r) {
				break
			}
			break
		}
		nonASCII = true
		s.pos += size
	}
	if s.pos == start {
		// A non-ASCII character that cannot start an identifier.
		r, size := utf8.DecodeRune(s.src[s.pos:])
		if isPythonPrintable(r) {
			s.errorAt(start, start, "invalid character '%c' (U+%04X)", r, r)
		} else {
			s.errorAt(start, start, "invalid non-printable character U+%04X", r)
		}
		s.pos += size
		s.emit(ERRORTOKEN, start, s.pos)
		return
	}
	if s.pos < len(s.src) && s.src[s.pos] >= utf8.RuneSelf {
		r, size := utf8.DecodeRune(s.src[s.pos:])
		if !isXIDContinue(r) {
			if isPythonPrintable(r) {
				s.errorAt(s.pos, s.pos, "invalid character '%c' (U+%04X)", r, r)
			} else {
				s.errorAt(s.pos, s.pos, "invalid non-printable character U+%04X", r)
			}
			s.emit(NAME, start, s.pos)
			s.pos += size
			return
		}
	}
	if nonASCII {
		if r, _ := utf8.DecodeRune(s.src[start:]); !isXIDStart(r) && r != '_' {
			if isPythonPrintable(r) {
				s.errorAt(start, start, "invalid character '%c' (U+%04X)", r, r)
			} else {
				s.errorAt(start, start, "invalid non-printable character U+%04X", r)
			}
		}
	}
	// String prefix?
	if s.pos < len(s.src) && (s.src[s.pos] == '"' || s.src[s.pos] == '\'') && s.pos-start <= 2 {
		raw, bytesLit, fstr, ok := stringPrefix(s.src[start:s.pos])
		if ok {
			s.scanString(start, s.pos, raw, bytesLit, fstr)
			return
		}
	}
	s.emit(lookupKeyword(s.src[start:s.pos]), start, s.pos)
}

// stringPrefix validates a string prefix: r, u, b, br, rb, f, fr, rf in any case.
func stringPrefix(p []byte) (raw, bytesLit, fstr, ok bool) {
	var r, u, b, f int
	for _, c := range p {
		switch c {
		case 'r', 'R':
			r++
		case 'u', 'U':
			u++
		case 'b', 'B':
			b++
		case 'f', 'F':
			f++
		default:
			return false, false, false, false
		}
	}
	if r > 1 || u > 1 || b > 1 || f > 1 {
		return false, false, false, false
	}
	if u == 1 && len(p) > 1 {
		return false, false, false, false
	}
	if b == 1 && f == 1 {
		return false, false, false, false
	}
	return r == 1, b == 1, f == 1, true
}

// scanString scans a string literal whose prefix starts at start and whose
// opening quote is at q.
func (s *scanner) scanString(start, q int, raw, bytesLit, fstr bool) {
	quote := s.src[q]
	triple := q+2 < len(s.src) && s.src[q+1] == quote && s.src[q+2] == quote
	qlen := 1
	if triple {
		qlen = 3
	}
	if s.version < Py312 {
		s.checkQuoteReuse(start, quote, triple)
	}
	if fstr {
		s.pos = q + qlen
		s.emit(FStringStart, start, s.pos)
		s.fstrings = append(s.fstrings, &fstringState{quote: quote, triple: triple, raw: raw, start: start})
		return
	}
	_ = bytesLit
	if s.version < Py312 {
		if _, f := s.innermostField(); f != nil {
			defer func() {
				if bytes.IndexByte(s.src[start:s.pos], '\\') >= 0 {
					s.errorAt(start, s.pos, "f-string expression part cannot include a backslash")
				}
			}()
		}
	}
	s.pos = q + qlen
	for {
		if s.pos >= len(s.src) {
			s.unterminated(start, triple)
			s.emit(STRING, start, s.pos)
			return
		}
		c := s.src[s.pos]
		switch {
		case c == '\\':
			s.pos += 2
			if s.pos > len(s.src) {
				s.pos = len(s.src)
			}
			continue
		case c == '\n' && !triple:
			s.unterminated(start, false)
			s.emit(STRING, start, s.pos)
			return
		case c == quote:
			if !triple {
				s.pos++
				s.emit(STRING, start, s.pos)
				return
			}
			if s.pos+2 < len(s.src) && s.src[s.pos+1] == quote && s.src[s.pos+2] == quote {
				s.pos += 3
				s.emit(STRING, start, s.pos)
				return
			}
		}
		s.pos++
	}
}

// checkQuoteReuse reports, for Python 3.11, a string inside an f-string
// replacement field that reuses the enclosing f-string's quote (PEP 701
// made that legal in 3.12).
func (s *scanner) checkQuoteReuse(start int, quote byte, triple bool) {
	for _, fs := range s.fstrings {
		if len(fs.fields) == 0 {
			continue
		}
		if fs.quote == quote && (!fs.triple || triple) {
			s.errorAt(start, start, "f-string: expecting '}'")
			return
		}
	}
}

func (s *scanner) unterminated(start int, triple bool) {
	line := s.lineOf(s.pos)
	if triple {
		s.errorAt(start, start, "unterminated triple-quoted string literal (detected at line %d)", line)
	} else {
		s.errorAt(start, start, "unterminated string literal (detected at line %d)", line)
	}
}

// scanFStringLiteral scans literal text of an f-string (or of a format spec)
// up to a replacement field, the end of the field, or the closing quote.
func (s *scanner) scanFStringLiteral(fs *fstringState) {
	var field *fieldState
	if len(fs.fields) > 0 {
		field = &fs.fields[len(fs.fields)-1]
	}
	inSpec := field != nil && field.inSpec
	start := s.pos
	flush := func() {
		if s.pos > start {
			s.emit(FStringMiddle, start, s.pos)
		}
	}
	for s.pos < len(s.src) {
		c := s.src[s.pos]
		switch {
		case c == fs.quote && (!fs.triple || s.pos+2 < len(s.src) && s.src[s.pos+1] == c && s.src[s.pos+2] == c):
			flush()
			if inSpec {
				// The quote ends the f-string inside an open field.
				s.errorAt(s.pos, s.pos, "f-string: expecting '}'")
				s.closeField(fs)
			}
			qlen := 1
			if fs.triple {
				qlen = 3
			}
			s.emit(FStringEnd, s.pos, s.pos+qlen)
			s.pos += qlen
			s.popFString()
			return
		case c == '\n' && !fs.triple:
			flush()
			s.errorAt(fs.start, fs.start, "unterminated f-string literal (detected at line %d)", s.lineOf(s.pos))
			for len(fs.fields) > 0 {
				s.closeField(fs)
			}
			s.emit(FStringEnd, s.pos, s.pos)
			s.popFString()
			return
		case c == '\\':
			if !fs.raw && s.pos+2 < len(s.src) && s.src[s.pos+1] == 'N' && s.src[s.pos+2] == '{' {
				s.pos += 3
				for s.pos < len(s.src) && s.src[s.pos] != '}' && s.src[s.pos] != fs.quote && s.src[s.pos] != '\n' {
					s.pos++
				}
				if s.pos < len(s.src) && s.src[s.pos] == '}' {
					s.pos++
				}
				continue
			}
			if s.pos+1 < len(s.src) && (s.src[s.pos+1] == '{' || s.src[s.pos+1] == '}') {
				s.pos++
				continue
			}
			s.pos += 2
			continue
		case c == '{':
			if !inSpec && s.pos+1 < len(s.src) && s.src[s.pos+1] == '{' {
				s.pos += 2
				continue
			}
			flush()
			s.openField(fs)
			return
		case c == '}':
			if inSpec {
				flush()
				s.emit(RBRACE, s.pos, s.pos+1)
				s.pos++
				s.closeField(fs)
				return
			}
			if s.pos+1 < len(s.src) && s.src[s.pos+1] == '}' {
				s.pos += 2
				continue
			}
			s.errorAt(s.pos+1, s.pos+1, "f-string: single '}' is not allowed")
			s.pos++
			continue
		}
		s.pos++
	}
	flush()
	// EOF inside the literal: finish() reports the unterminated f-string.
}

func (s *scanner) openField(fs *fstringState) {
	if len(s.parens) >= maxParenLevel {
		s.errorAt(s.pos, s.pos+1, "too many nested parentheses")
	}
	s.emit(LBRACE, s.pos, s.pos+1)
	s.parens = append(s.parens, parenEntry{ch: '{', pos: s.pos})
	fs.fields = append(fs.fields, fieldState{depth: len(s.parens)})
	s.pos++
}

// closeField pops the innermost field of fs and its brace.
func (s *scanner) closeField(fs *fstringState) {
	f := fs.fields[len(fs.fields)-1]
	fs.fields = fs.fields[:len(fs.fields)-1]
	if len(s.parens) >= f.depth {
		s.parens = s.parens[:f.depth-1]
	}
}

func (s *scanner) popFString() {
	s.fstrings = s.fstrings[:len(s.fstrings)-1]
}

func (s *scanner) scanOperator(start int) {
	src := s.src
	at := func(i int) byte {
		if start+i < len(src) {
			return src[start+i]
		}
		return 0
	}
	c, c1, c2 := at(0), at(1), at(2)
	k, n := ERRORTOKEN, 1
	switch c {
	case '(':
		k = LPAR
	case ')':
		k = RPAR
	case '[':
		k = LSQB
	case ']':
		k = RSQB
	case '{':
		k = LBRACE
	case '}':
		k = RBRACE
	case ',':
		k = COMMA
	case ';':
		k = SEMI
	case '~':
		k = TILDE
	case ':':
		k = COLON
		if c1 == '=' {
			if _, f := s.innermostField(); f == nil || len(s.parens) != f.depth {
				k, n = COLONEQUAL, 2
			}
		}
	case '.':
		k = DOT
		if c1 == '.' && c2 == '.' {
			k, n = ELLIPSIS, 3
		}
	case '+':
		k, n = pick(c1 == '=', PLUSEQUAL, PLUS)
	case '-':
		switch c1 {
		case '=':
			k, n = MINEQUAL, 2
		case '>':
			k, n = RARROW, 2
		default:
			k = MINUS
		}
	case '*':
		switch {
		case c1 == '*' && c2 == '=':
			k, n = DOUBLESTAREQUAL, 3
		case c1 == '*':
			k, n = DOUBLESTAR, 2
		case c1 == '=':
			k, n = STAREQUAL, 2
		default:
			k = STAR
		}
	case '/':
		switch {
		case c1 == '/' && c2 == '=':
			k, n = DOUBLESLASHEQUAL, 3
		case c1 == '/':
			k, n = DOUBLESLASH, 2
		case c1 == '=':
			k, n = SLASHEQUAL, 2
		default:
			k = SLASH
		}
	case '|':
		k, n = pick(c1 == '=', VBAREQUAL, VBAR)
	case '&':
		k, n = pick(c1 == '=', AMPEREQUAL, AMPER)
	case '^':
		k, n = pick(c1 == '=', CIRCUMFLEXEQUAL, CIRCUMFLEX)
	case '%':
		k, n = pick(c1 == '=', PERCENTEQUAL, PERCENT)
	case '@':
		k, n = pick(c1 == '=', ATEQUAL, AT)
	case '=':
		k, n = pick(c1 == '=', EQEQUAL, EQUAL)
	case '!':
		k, n = pick(c1 == '=', NOTEQUAL, EXCLAMATION)
	case '<':
		switch {
		case c1 == '<' && c2 == '=':
			k, n = LEFTSHIFTEQUAL, 3
		case c1 == '<':
			k, n = LEFTSHIFT, 2
		case c1 == '=':
			k, n = LESSEQUAL, 2
		default:
			k = LESS
		}
	case '>':
		switch {
		case c1 == '>' && c2 == '=':
			k, n = RIGHTSHIFTEQUAL, 3
		case c1 == '>':
			k, n = RIGHTSHIFT, 2
		case c1 == '=':
			k, n = GREATEREQUAL, 2
		default:
			k = GREATER
		}
	}
	s.pos = start + n
	switch k {
	case LPAR, LSQB, LBRACE:
		if len(s.parens) >= maxParenLevel {
			s.errorAt(start, start+1, "too many nested parentheses")
		}
		s.parens = append(s.parens, parenEntry{ch: c, pos: start})
	case RPAR, RSQB, RBRACE:
		if k == RBRACE {
			if fs, f := s.innermostField(); f != nil && len(s.parens) == f.depth {
				s.emit(RBRACE, start, s.pos)
				s.closeField(fs)
				return
			}
		}
		if len(s.parens) == 0 {
			s.errorAt(start, start+1, "unmatched '%c'", c)
		} else {
			open := s.parens[len(s.parens)-1]
			if closerOf(open.ch) != c {
				if s.lineOf(open.pos) != s.lineOf(start) {
					s.errorAt(start, start+1, "closing parenthesis '%c' does not match opening parenthesis '%c' on line %d", c, open.ch, s.lineOf(open.pos))
				} else {
					s.errorAt(start, start+1, "closing parenthesis '%c' does not match opening parenthesis '%c'", c, open.ch)
				}
			}
			if _, f := s.innermostField(); f == nil || len(s.parens) > f.depth {
				s.parens = s.parens[:len(s.parens)-1]
			}
		}
	case COLON:
		if _, f := s.innermostField(); f != nil && len(s.parens) == f.depth && !f.inSpec {
			f.inSpec = true
		}
	case ERRORTOKEN:
		// '$', '?', '`' and stray bytes: the parser reports "invalid syntax".
	}
	s.emit(k, start, s.pos)
}

func pick(cond bool, yes, no TokenKind) (kind TokenKind, length int) {
	if cond {
		return yes, 2
	}
	return no, 1
}

func closerOf(open byte) byte {
	switch open {
	case '(':
		return ')'
	case '[':
		return ']'
	default:
		return '}'
	}
}

// scanNumber scans a numeric literal with CPython's error messages.
func (s *scanner) scanNumber() {
	start := s.pos
	src := s.src
	peek := func() byte {
		if s.pos < len(src) {
			return src[s.pos]
		}
		return 0
	}
	kind := "decimal"
	if src[s.pos] == '0' && s.pos+1 < len(src) && (src[s.pos+1]|0x20 == 'x' || src[s.pos+1]|0x20 == 'o' || src[s.pos+1]|0x20 == 'b') {
		base := src[s.pos+1] | 0x20
		s.pos += 2
		var isDig func(byte) bool
		switch base {
		case 'x':
			kind = "hexadecimal"
			isDig = func(c byte) bool { return isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'f' }
		case 'o':
			kind = "octal"
			isDig = func(c byte) bool { return c >= '0' && c <= '7' }
		default:
			kind = "binary"
			isDig = func(c byte) bool { return c == '0' || c == '1' }
		}
		digits := 0
		for {
			if peek() == '_' {
				s.pos++
			}
			if !isDig(peek()) {
				break
			}
			for isDig(peek()) {
				s.pos++
				digits++
			}
			if peek() != '_' {
				break
			}
		}
		if c := peek(); isDigit(c) && kind != "hexadecimal" {
			s.errorAt(s.pos, s.pos, "invalid digit '%c' in %s literal", c, kind)
			for isIdentContASCII(peek()) {
				s.pos++
			}
			s.emit(NUMBER, start, s.pos)
			return
		}
		if digits == 0 || src[s.pos-1] == '_' {
			s.errorAt(s.pos-1, s.pos-1, "invalid %s literal", kind)
			for isIdentContASCII(peek()) {
				s.pos++
			}
			s.emit(NUMBER, start, s.pos)
			return
		}
		s.endOfNumber(start, kind)
		return
	}
	// Decimal: integer part (maybe empty for ".5").
	leadingZero := src[s.pos] == '0'
	nonZero := false
	if isDigit(peek()) {
		if !s.decimalTail(start) {
			return
		}
		for _, c := range src[start:s.pos] {
			if c != '0' && c != '_' {
				nonZero = true
			}
		}
	}
	isFloat := false
	if peek() == '.' {
		isFloat = true
		s.pos++
		if isDigit(peek()) && !s.decimalTail(start) {
			return
		}
	}
	if peek()|0x20 == 'e' {
		save := s.pos
		s.pos++
		if peek() == '+' || peek() == '-' {
			s.pos++
			if !isDigit(peek()) {
				s.errorAt(s.pos, s.pos, "invalid decimal literal")
				s.emit(NUMBER, start, s.pos)
				return
			}
		}
		if !isDigit(peek()) {
			s.pos = save
			s.errorAt(start, start, "invalid decimal literal")
			for isIdentContASCII(peek()) {
				s.pos++
			}
			s.emit(NUMBER, start, s.pos)
			return
		}
		if !s.decimalTail(start) {
			return
		}
		isFloat = true
	}
	if peek()|0x20 == 'j' {
		s.pos++
		s.endOfNumber(start, "imaginary")
		return
	}
	if !isFloat && leadingZero && nonZero {
		s.errorAt(start, s.pos, "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers")
		s.emit(NUMBER, start, s.pos)
		return
	}
	s.endOfNumber(start, kind)
}

// decimalTail scans digits with single underscores between them.
func (s *scanner) decimalTail(start int) bool {
	for {
		for s.pos < len(s.src) && isDigit(s.src[s.pos]) {
			s.pos++
		}
		if s.pos >= len(s.src) || s.src[s.pos] != '_' {
			return true
		}
		s.pos++
		if s.pos >= len(s.src) || !isDigit(s.src[s.pos]) {
			s.errorAt(s.pos, s.pos, "invalid decimal literal")
			for s.pos < len(s.src) && isIdentContASCII(s.src[s.pos]) {
				s.pos++
			}
			s.emit(NUMBER, start, s.pos)
			return false
		}
	}
}

// endOfNumber rejects a number run into a name ("1abc"), except before the
// keywords CPython still accepts there with a warning ("1if x else y").
func (s *scanner) endOfNumber(start int, kind string) {
	if s.pos < len(s.src) {
		c := s.src[s.pos]
		if isIdentStartASCII(c) || c >= utf8.RuneSelf || isDigit(c) {
			for _, kw := range []string{"and", "else", "for", "if", "in", "is", "not", "or"} {
				if hasWordAt(s.src, s.pos, kw) {
					s.emit(NUMBER, start, s.pos)
					return
				}
			}
			s.errorAt(s.pos, s.pos, "invalid %s literal", kind)
			for s.pos < len(s.src) && isIdentContASCII(s.src[s.pos]) {
				s.pos++
			}
		}
	}
	s.emit(NUMBER, start, s.pos)
}

func hasWordAt(src []byte, pos int, w string) bool {
	if pos+len(w) > len(src) || string(src[pos:pos+len(w)]) != w {
		return false
	}
	return pos+len(w) == len(src) || !isIdentContASCII(src[pos+len(w)])
}

// Identifier character classes. Python uses XID_Start/XID_Continue; Go's
// unicode tables give the same sets up to the Unicode version difference.
func isXIDStart(r rune) bool {
	return unicode.IsLetter(r) || unicode.Is(unicode.Nl, r) || unicode.Is(unicode.Other_ID_Start, r)
}

func isXIDContinue(r rune) bool {
	return isXIDStart(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) ||
		unicode.Is(unicode.Nd, r) || unicode.Is(unicode.Pc, r) || unicode.Is(unicode.Other_ID_Continue, r) ||
		r == '_'
}

func isPossibleIdentRune(r rune) bool { return isXIDContinue(r) }

// isPythonPrintable is str.isprintable for one character: everything but
// Cc, Cf, Cs, Co, Cn, Zl, Zp and Zs other than the ASCII space.
func isPythonPrintable(r rune) bool {
	if r == ' ' {
		return true
	}
	if unicode.In(r, unicode.Cc, unicode.Cf, unicode.Cs, unicode.Co, unicode.Zl, unicode.Zp, unicode.Zs) {
		return false
	}
	// Unassigned (Cn): not in any category table.
	return unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S)
}

// isPrintableIn is str.isprintable in Python version v. Go's tables are
// Unicode 15.0 (Python 3.12's); 3.13 uses 15.1, which assigned a few more
// printable characters.
func isPrintableIn(v Version, r rune) bool {
	if v >= Py313 && (r >= 0x2FFC && r <= 0x2FFF || r == 0x31EF || r >= 0x2EBF0 && r <= 0x2EE5D) {
		return true
	}
	return isPythonPrintable(r)
}
