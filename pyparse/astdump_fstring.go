package pyparse

import "slices"

// F-string dumping, where the versions differ most.
//
// The AST holds true positions (3.12+, PEP 701). CPython 3.11 parsed
// f-strings by re-parsing each field's text, and reports:
//   - for the parts of an f-string (constants and fields): the span of the
//     whole implicitly concatenated literal, and kind='u' on constants when
//     the literal's first token is u-prefixed;
//   - for a format spec: the span of the string token holding it;
//   - for a field whose expression is an unparenthesised tuple or generator:
//     the span of the parentheses it wrapped the text in, from the '{' to
//     one past the character that ends the expression.
// CPython 3.12 appends an empty Constant to a format spec that ends with a
// field.

func (d *dumper) joinedStr(x *JoinedStr) {
	saved, savedSpan := d.fstring, d.partsSpan
	d.fstring, d.partsSpan = x, x.Span
	d.open("JoinedStr")
	d.parts(x.Values)
	d.fstring, d.partsSpan = saved, savedSpan
	d.closeAt(x.Span)
}

// parts dumps the values of an f-string or format spec.
func (d *dumper) parts(values []Expr) {
	if len(values) == 0 {
		d.emptyList("values")
		return
	}
	d.key("values")
	d.b.WriteByte('[')
	for i, v := range values {
		if i > 0 {
			d.b.WriteString(", ")
		}
		switch p := v.(type) {
		case *Constant:
			d.open("Constant")
			d.key("value")
			d.b.WriteString(reprFor(d.v).constant(p.Value))
			kind := p.Kind()
			if d.v < Py312 {
				kind = d.fstringKind311()
			}
			if kind != "" {
				d.strField("kind", kind)
			}
			d.closeAt(d.partSpan(p.Span))
		case *FormattedValue:
			d.formattedValue(p)
		default:
			d.node(v)
		}
	}
	d.b.WriteByte(']')
}

func (d *dumper) partSpan(s Span) Span {
	if d.v < Py312 && d.fstring != nil {
		return d.partsSpan
	}
	return s
}

// fstringKind311 is the kind 3.11 gives an f-string's constants: that of
// the literal's first token.
func (d *dumper) fstringKind311() string {
	src := d.f.Src[d.fstring.Start:]
	for _, c := range src {
		switch c {
		case 'u', 'U':
			return "u"
		case '\'', '"':
			return ""
		}
	}
	return ""
}

func (d *dumper) formattedValue(x *FormattedValue) {
	d.open("FormattedValue")
	d.key("value")
	if d.v < Py312 {
		d.fieldValue = x
	}
	d.node(x.Value)
	d.fieldValue = nil
	d.intField("conversion", x.Conversion)
	if spec, ok := x.FormatSpec.(*JoinedStr); ok && spec != nil {
		d.key("format_spec")
		d.formatSpec(spec)
	}
	d.closeAt(d.partSpan(x.Span))
}

func (d *dumper) formatSpec(spec *JoinedStr) {
	d.open("JoinedStr")
	values := spec.Values
	if d.v == Py312 && len(values) > 0 {
		if _, endsWithField := values[len(values)-1].(*FormattedValue); endsWithField {
			end := spec.EndPos
			values = append(slices.Clip(values), &Constant{Span: Span{end, end}, Value: ConstValue{Kind: ConstStr}})
		}
	}
	span := spec.Span
	savedSpan := d.partsSpan
	if d.v < Py312 && d.fstring != nil {
		span = d.stringTokenAt(spec.Start)
		if !hasField(values) {
			// A spec that is only text became one constant of its token.
			d.partsSpan = span
		}
	}
	d.parts(values)
	d.partsSpan = savedSpan
	d.closeAt(span)
}

// fieldExprSpan returns the span 3.11 reports for a field's top-level
// tuple or generator written without its own parentheses.
func (d *dumper) fieldExprSpan(n Expr, s Span) Span {
	fv := d.fieldValue
	if fv == nil || fv.Value != n || d.f.Src[s.Start] == '(' {
		return s
	}
	end := int(s.EndPos)
	for end < len(d.f.Src) {
		c := d.f.Src[end]
		if c == '=' || c == '!' || c == ':' || c == '}' {
			break
		}
		end++
	}
	return Span{fv.Start, Pos(end + 1)}
}

// stringTokenAt returns the span of the string literal token of the current
// f-string that contains pos.
func (d *dumper) stringTokenAt(pos Pos) Span {
	src := d.f.Src
	i := int(d.fstring.Start)
	end := int(d.fstring.EndPos)
	for i < end {
		// Skip what separates implicitly concatenated literals.
		switch src[i] {
		case ' ', '\t', '\n', '\f', '(', ')':
			i++
			continue
		case '\\':
			i += 2
			continue
		case '#':
			for i < end && src[i] != '\n' {
				i++
			}
			continue
		}
		start := i
		for i < end && src[i] != '\'' && src[i] != '"' {
			i++
		}
		if i >= end {
			break
		}
		q := src[i]
		triple := i+2 < end && src[i+1] == q && src[i+2] == q
		qlen := 1
		if triple {
			qlen = 3
		}
		i += qlen
		for i < end {
			if src[i] == '\\' {
				i += 2
				continue
			}
			if src[i] == q && (!triple || i+2 < len(src) && src[i+1] == q && src[i+2] == q) {
				i += qlen
				break
			}
			i++
		}
		if Pos(start) <= pos && pos < Pos(i) {
			return Span{Pos(start), Pos(i)}
		}
	}
	return d.fstring.Span
}

func hasField(values []Expr) bool {
	for _, v := range values {
		if _, ok := v.(*FormattedValue); ok {
			return true
		}
	}
	return false
}
