package jsonstat

import (
	"encoding/json"
	"fmt"
	"io"
	"unicode/utf8"
)

// The lexer is a one-pass JSON tokenizer over an io.Reader. It offers the
// token walk of json.Decoder (Token, with the same rules for commas,
// colons and closing delimiters) for the small members of a document, and
// lets the scanners in scan.go read the value and status members, which
// hold nearly all the bytes, straight from its buffer into the columns:
// there every byte is looked at once (a number's bytes twice, to find its
// end and to parse it). The input is held only in a window of bufSize
// bytes (more only while one token, or one small member read whole, is
// longer).
//
// It accepts what encoding/json accepts: RFC 8259 JSON, strings with
// invalid UTF-8 included (decoded to U+FFFD as encoding/json does, except
// status codes, which keep their bytes as the previous decoder's scanner
// did), and nesting up to encoding/json's limit in the members it reads
// whole.

// SyntaxError is malformed JSON: Offset is the byte offset in the file
// (a skipped byte-order mark counted) at which it was found.
type SyntaxError struct {
	Offset int64
	Msg    string
}

// Error formats as "jsonstat: byte %d: %s".
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("jsonstat: byte %d: %s", e.Offset, e.Msg)
}

// tokState is where the token walk stands, as json.Decoder's tokenState.
type tokState uint8

const (
	tokTop         tokState = iota // between top-level values
	tokArrayStart                  // just after '['
	tokArrayValue                  // after ',' in an array
	tokArrayComma                  // after an array element
	tokObjectStart                 // just after '{'
	tokObjectKey                   // after ',' in an object
	tokObjectColon                 // after an object key
	tokObjectValue                 // after ':'
	tokObjectComma                 // after an object member's value
)

// bufSize is the size of the lexer's input window.
const bufSize = 64 << 10

// maxNesting is encoding/json's nesting limit for a value it decodes
// whole; the lexer applies it to the values it scans whole.
const maxNesting = 10000

type lexer struct {
	r     io.Reader
	buf   []byte // buf[i:] is read but not yet consumed
	i     int
	base  int64 // file offset of buf[0]
	rerr  error // the reader's error once it returned one (io.EOF at the end)
	state tokState
	stack []tokState // states of the enclosing containers
}

func newLexer(r io.Reader) *lexer {
	return &lexer{r: r, buf: make([]byte, 0, bufSize)}
}

// off is the file offset of the next unconsumed byte, which is just past
// the last token read.
func (l *lexer) off() int64 { return l.base + int64(l.i) }

// errorf is a *SyntaxError at relative offset j from the next unconsumed
// byte.
func (l *lexer) errorf(j int, format string, args ...any) error {
	return &SyntaxError{Offset: l.off() + int64(j), Msg: fmt.Sprintf(format, args...)}
}

// fill reads more input, keeping buf[i:] (moved to the front, so offsets
// relative to i stay valid). It reports false when there is no more input;
// l.rerr then says why.
func (l *lexer) fill() bool {
	if l.rerr != nil {
		return false
	}
	if l.i > 0 {
		n := copy(l.buf, l.buf[l.i:])
		l.buf = l.buf[:n]
		l.base += int64(l.i)
		l.i = 0
	}
	if len(l.buf) == cap(l.buf) {
		nb := make([]byte, len(l.buf), 2*cap(l.buf))
		copy(nb, l.buf)
		l.buf = nb
	}
	for range 100 {
		n, err := l.r.Read(l.buf[len(l.buf):cap(l.buf)])
		l.buf = l.buf[:len(l.buf)+n]
		if err != nil {
			l.rerr = err
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
	l.rerr = io.ErrNoProgress
	return false
}

// truncated is the error for input that ends inside a value: the read
// error, or io.ErrUnexpectedEOF.
func (l *lexer) truncated() error {
	if l.rerr != nil && l.rerr != io.EOF {
		return l.rerr
	}
	return io.ErrUnexpectedEOF
}

// at returns the byte at relative offset j, reading more input when
// needed; ok is false when the input ends before it.
func (l *lexer) at(j int) (c byte, ok bool) {
	if l.i+j < len(l.buf) {
		return l.buf[l.i+j], true
	}
	for l.i+j >= len(l.buf) {
		if !l.fill() {
			return 0, false
		}
	}
	return l.buf[l.i+j], true
}

// peek skips whitespace and returns the next byte without consuming it;
// the error is io.EOF at the end of the input, or the read error.
func (l *lexer) peek() (byte, error) {
	for {
		for l.i < len(l.buf) {
			c := l.buf[l.i]
			if c > ' ' || !isSpace(c) {
				return c, nil
			}
			l.i++
		}
		if !l.fill() {
			return 0, l.rerr
		}
	}
}

// peekIn is peek inside a value, where the end of input is
// io.ErrUnexpectedEOF.
func (l *lexer) peekIn() (byte, error) {
	c, err := l.peek()
	if err != nil {
		return 0, l.truncated()
	}
	return c, nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (l *lexer) valueAllowed() bool {
	switch l.state {
	case tokTop, tokArrayStart, tokArrayValue, tokObjectValue:
		return true
	}
	return false
}

// valueEnd moves the state past a value just read.
func (l *lexer) valueEnd() {
	switch l.state {
	case tokArrayStart, tokArrayValue:
		l.state = tokArrayComma
	case tokObjectValue:
		l.state = tokObjectComma
	}
}

func (l *lexer) push(s tokState) {
	l.stack = append(l.stack, l.state)
	l.state = s
}

func (l *lexer) pop() {
	l.state = l.stack[len(l.stack)-1]
	l.stack = l.stack[:len(l.stack)-1]
	l.valueEnd()
}

func (l *lexer) tokenError(c byte) error {
	var context string
	switch l.state {
	case tokTop:
		context = " looking for beginning of value"
	case tokArrayStart, tokArrayValue, tokObjectValue:
		context = " looking for beginning of value"
	case tokArrayComma:
		context = " after array element"
	case tokObjectKey:
		context = " looking for beginning of object key string"
	case tokObjectColon:
		context = " after object key"
	case tokObjectComma:
		context = " after object key:value pair"
	}
	return l.errorf(0, "invalid character %s%s", quoteChar(c), context)
}

// quoteChar formats c as encoding/json's errors do.
func quoteChar(c byte) string {
	switch c {
	case '\'':
		return `'\''`
	case '"':
		return `'"'`
	}
	s := fmt.Sprintf("%q", rune(c))
	return "'" + s[1:len(s)-1] + "'"
}

// Token returns the next token as json.Decoder.Token does (numbers as
// json.Number): json.Delim for [ ] { }, string, json.Number, bool or nil.
// Commas and colons are checked and skipped. At the end of the input it
// returns io.EOF.
func (l *lexer) Token() (json.Token, error) {
	for {
		c, err := l.peek()
		if err != nil {
			if err == io.EOF && l.state != tokTop {
				return nil, io.ErrUnexpectedEOF
			}
			return nil, err
		}
		switch c {
		case '[':
			if !l.valueAllowed() {
				return nil, l.tokenError(c)
			}
			l.i++
			l.push(tokArrayStart)
			return json.Delim('['), nil
		case '{':
			if !l.valueAllowed() {
				return nil, l.tokenError(c)
			}
			l.i++
			l.push(tokObjectStart)
			return json.Delim('{'), nil
		case ']':
			if l.state != tokArrayStart && l.state != tokArrayComma {
				return nil, l.tokenError(c)
			}
			l.i++
			l.pop()
			return json.Delim(']'), nil
		case '}':
			if l.state != tokObjectStart && l.state != tokObjectComma {
				return nil, l.tokenError(c)
			}
			l.i++
			l.pop()
			return json.Delim('}'), nil
		case ':':
			if l.state != tokObjectColon {
				return nil, l.tokenError(c)
			}
			l.i++
			l.state = tokObjectValue
			continue
		case ',':
			switch l.state {
			case tokArrayComma:
				l.state = tokArrayValue
			case tokObjectComma:
				l.state = tokObjectKey
			default:
				return nil, l.tokenError(c)
			}
			l.i++
			continue
		case '"':
			if l.state == tokObjectStart || l.state == tokObjectKey {
				s, err := l.str()
				if err != nil {
					return nil, err
				}
				l.state = tokObjectColon
				return s, nil
			}
			if !l.valueAllowed() {
				return nil, l.tokenError(c)
			}
			s, err := l.str()
			if err != nil {
				return nil, err
			}
			l.valueEnd()
			return s, nil
		}
		if !l.valueAllowed() {
			return nil, l.tokenError(c)
		}
		var t json.Token
		switch c {
		case 'n':
			if err := l.literal("null"); err != nil {
				return nil, err
			}
		case 't':
			if err := l.literal("true"); err != nil {
				return nil, err
			}
			t = true
		case 'f':
			if err := l.literal("false"); err != nil {
				return nil, err
			}
			t = false
		default:
			if c != '-' && (c < '0' || c > '9') {
				return nil, l.tokenError(c)
			}
			j := l.numberEnd()
			s := l.buf[l.i : l.i+j]
			if !validNumber(s) {
				return nil, l.errorf(0, "invalid number literal %q", s)
			}
			t = json.Number(s)
			l.i += j
		}
		l.valueEnd()
		return t, nil
	}
}

// beginValue prepares to read a value whole, as json.Decoder.Decode does
// after Token: it consumes the comma or colon before it and returns the
// value's first byte, unconsumed.
func (l *lexer) beginValue() (byte, error) {
	c, err := l.peekIn()
	if err != nil {
		return 0, err
	}
	switch l.state {
	case tokArrayComma:
		if c != ',' {
			return 0, l.errorf(0, "expected comma after array element")
		}
		l.i++
		l.state = tokArrayValue
	case tokObjectColon:
		if c != ':' {
			return 0, l.errorf(0, "expected colon after object key")
		}
		l.i++
		l.state = tokObjectValue
	}
	if !l.valueAllowed() {
		return 0, l.errorf(0, "not at beginning of value")
	}
	return l.peekIn()
}

// raw reads the next value whole and returns a copy of its bytes.
func (l *lexer) raw() ([]byte, error) {
	if _, err := l.beginValue(); err != nil {
		return nil, err
	}
	end, err := l.scanValue(0, 0)
	if err != nil {
		return nil, err
	}
	out := make([]byte, end)
	copy(out, l.buf[l.i:l.i+end])
	l.i += end
	l.valueEnd()
	return out, nil
}

// literal consumes the literal word (null, true, false) at the next byte.
func (l *lexer) literal(word string) error {
	end, err := l.literalAt(0, word)
	if err != nil {
		return err
	}
	l.i += end
	return nil
}

// literalAt checks the literal word at relative offset j and returns the
// offset just past it.
func (l *lexer) literalAt(j int, word string) (int, error) {
	for k := 0; k < len(word); k++ {
		c, ok := l.at(j + k)
		if !ok {
			return 0, l.truncated()
		}
		if c != word[k] {
			return 0, l.errorf(j+k, "invalid character %s in literal %s (expecting %s)", quoteChar(c), word, quoteChar(word[k]))
		}
	}
	return j + len(word), nil
}

// numByte marks the bytes that may occur in a JSON number.
var numByte = [256]bool{'0': true, '1': true, '2': true, '3': true, '4': true,
	'5': true, '6': true, '7': true, '8': true, '9': true,
	'-': true, '+': true, '.': true, 'e': true, 'E': true}

// numberEnd returns the relative offset just past the run of number bytes
// at the next byte, reading more input while the run reaches the end of
// the buffer.
func (l *lexer) numberEnd() int {
	j := 0
	for {
		b := l.buf[l.i:]
		for j < len(b) && numByte[b[j]] {
			j++
		}
		if j < len(b) || !l.fill() {
			return j
		}
	}
}

// str reads a string token and returns it decoded as encoding/json does.
func (l *lexer) str() (string, error) {
	end, esc, nonASCII, err := l.scanString(0)
	if err != nil {
		return "", err
	}
	q := l.buf[l.i : l.i+end]
	l.i += end
	return unquote(q, esc, nonASCII)
}

// unquote decodes the quoted JSON string q (checked by scanString) as
// encoding/json does, invalid UTF-8 becoming U+FFFD.
func unquote(q []byte, esc, nonASCII bool) (string, error) {
	if !esc && (!nonASCII || utf8.Valid(q)) {
		return string(q[1 : len(q)-1]), nil
	}
	var s string
	if err := json.Unmarshal(q, &s); err != nil {
		return "", err
	}
	return s, nil
}

// scanString checks the string starting at relative offset j (a '"') and
// returns the relative offset just past its closing quote, whether it has
// escapes and whether it has bytes outside ASCII.
func (l *lexer) scanString(j int) (end int, esc, nonASCII bool, err error) {
	k := j + 1
	for {
		b := l.buf[l.i:]
		for k < len(b) {
			c := b[k]
			switch {
			case c == '"':
				return k + 1, esc, nonASCII, nil
			case c == '\\':
				esc = true
				n, err := l.escape(k)
				if err != nil {
					return 0, false, false, err
				}
				k += n
				b = l.buf[l.i:]
				continue
			case c < 0x20:
				return 0, false, false, l.errorf(k, "invalid character %s in string literal", quoteChar(c))
			case c >= 0x80:
				nonASCII = true
			}
			k++
		}
		if !l.fill() {
			return 0, false, false, l.truncated()
		}
	}
}

// escape checks the escape sequence at relative offset k (a '\\') and
// returns its length.
func (l *lexer) escape(k int) (int, error) {
	c, ok := l.at(k + 1)
	if !ok {
		return 0, l.truncated()
	}
	switch c {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2, nil
	case 'u':
		for h := 2; h < 6; h++ {
			c, ok := l.at(k + h)
			if !ok {
				return 0, l.truncated()
			}
			if !isHex(c) {
				return 0, l.errorf(k+h, "invalid character %s in \\u hexadecimal character escape", quoteChar(c))
			}
		}
		return 6, nil
	}
	return 0, l.errorf(k+1, "invalid character %s in string escape code", quoteChar(c))
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// wsAt returns the relative offset of the first non-whitespace byte at or
// after j, and that byte; ok is false at the end of the input.
func (l *lexer) wsAt(j int) (int, byte, bool) {
	for {
		c, ok := l.at(j)
		if !ok {
			return j, 0, false
		}
		if !isSpace(c) {
			return j, c, true
		}
		j++
	}
}

// scanValue checks the value starting at relative offset j (no whitespace
// before it) without consuming it and returns the relative offset just
// past it. depth is the nesting depth of the value's container, counted
// towards maxNesting.
func (l *lexer) scanValue(j, depth int) (int, error) {
	var stack []byte // the open containers: '{' or '['
	for {
		// A value starts at j.
		var c byte
		var ok bool
		if j, c, ok = l.wsAt(j); !ok {
			return 0, l.truncated()
		}
		switch {
		case c == '{' || c == '[':
			if depth+len(stack)+1 > maxNesting {
				return 0, l.errorf(j, "exceeded max depth")
			}
			k, d, ok := l.wsAt(j + 1)
			if !ok {
				return 0, l.truncated()
			}
			if (c == '{' && d == '}') || (c == '[' && d == ']') {
				j = k + 1
				break
			}
			stack = append(stack, c)
			j = k
			if c == '{' {
				var err error
				if j, err = l.memberKey(j); err != nil {
					return 0, err
				}
			}
			continue
		case c == '"':
			end, _, _, err := l.scanString(j)
			if err != nil {
				return 0, err
			}
			j = end
		case c == 'n':
			end, err := l.literalAt(j, "null")
			if err != nil {
				return 0, err
			}
			j = end
		case c == 't':
			end, err := l.literalAt(j, "true")
			if err != nil {
				return 0, err
			}
			j = end
		case c == 'f':
			end, err := l.literalAt(j, "false")
			if err != nil {
				return 0, err
			}
			j = end
		case c == '-' || (c >= '0' && c <= '9'):
			k := j
			for {
				c, ok := l.at(k)
				if !ok || !numByte[c] {
					break
				}
				k++
			}
			if !validNumber(l.buf[l.i+j : l.i+k]) {
				return 0, l.errorf(j, "invalid number literal %q", l.buf[l.i+j:l.i+k])
			}
			j = k
		default:
			return 0, l.errorf(j, "invalid character %s looking for beginning of value", quoteChar(c))
		}
		// A value ends at j: close containers until one goes on.
		for {
			if len(stack) == 0 {
				return j, nil
			}
			k, c, ok := l.wsAt(j)
			if !ok {
				return 0, l.truncated()
			}
			top := stack[len(stack)-1]
			if c == ',' {
				j = k + 1
				if top == '{' {
					var err error
					if j, err = l.memberKey(j); err != nil {
						return 0, err
					}
				}
				break
			}
			if (top == '{' && c == '}') || (top == '[' && c == ']') {
				stack = stack[:len(stack)-1]
				j = k + 1
				continue
			}
			if top == '{' {
				return 0, l.errorf(k, "invalid character %s after object key:value pair", quoteChar(c))
			}
			return 0, l.errorf(k, "invalid character %s after array element", quoteChar(c))
		}
	}
}

// memberKey checks an object key and its colon at relative offset j
// (whitespace allowed before each) and returns the offset after the colon.
func (l *lexer) memberKey(j int) (int, error) {
	j, c, ok := l.wsAt(j)
	if !ok {
		return 0, l.truncated()
	}
	if c != '"' {
		return 0, l.errorf(j, "invalid character %s looking for beginning of object key string", quoteChar(c))
	}
	end, _, _, err := l.scanString(j)
	if err != nil {
		return 0, err
	}
	j, c, ok = l.wsAt(end)
	if !ok {
		return 0, l.truncated()
	}
	if c != ':' {
		return 0, l.errorf(j, "invalid character %s after object key", quoteChar(c))
	}
	return j + 1, nil
}
