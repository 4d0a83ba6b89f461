package px

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Input bounds (see the package documentation).
const (
	// MaxLine is the longest header line, in bytes.
	MaxLine = 1 << 20
	// MaxString is the longest string value, in bytes, after joining its
	// continuation lines.
	MaxString = 1 << 18
	// MaxHeader is the most bytes the header (everything before DATA) may
	// take.
	MaxHeader = 64 << 20
	// MaxCell is the longest data cell, in bytes.
	MaxCell = 64
)

// maxKeyword bounds keyword and language names.
const maxKeyword = 64

// item is one item of an entry's value list, as raw bytes.
type item struct {
	text   string
	quoted bool
}

// entry is one header entry, with its strings still in the file's bytes
// until decodeHeader converts them.
type entry struct {
	keyword string
	lang    string
	sub     []string
	items   []item
	line    int
	// relabelled is set for KEYWORD[lang] where lang is the default
	// language, read as KEYWORD.
	relabelled bool
}

// scanner reads a PX file byte by byte, counting lines.
type scanner struct {
	r       *bufio.Reader
	file    string
	line    int // 1-based line of the next byte
	col     int // bytes read on the current line
	header  int // header bytes read
	inData  bool
	keyword string // keyword being read, for errors
}

func newScanner(r io.Reader, file string) *scanner {
	br, ok := r.(*bufio.Reader)
	if !ok || br.Size() < 4096 {
		br = bufio.NewReaderSize(r, 64<<10)
	}
	return &scanner{r: br, file: file, line: 1}
}

// errorf returns an *Error at the current line.
func (s *scanner) errorf(class error, format string, args ...any) *Error {
	return &Error{File: s.file, Line: s.line, Keyword: s.keyword, Msg: fmt.Sprintf(format, args...), Err: class}
}

// readErr turns a read error into an *Error; io.EOF becomes a syntax error
// saying what was expected.
func (s *scanner) readErr(err error, expected string) *Error {
	if errors.Is(err, io.EOF) {
		return s.errorf(ErrSyntax, "unexpected end of file, expected %s", expected)
	}
	return s.errorf(err, "read: %v", err)
}

func (s *scanner) next() (byte, error) {
	b, err := s.r.ReadByte()
	if err != nil {
		return 0, err
	}
	if b == '\n' {
		s.line++
		s.col = 0
	} else {
		s.col++
		if !s.inData && s.col > MaxLine {
			return 0, s.errorf(ErrSyntax, "line longer than %d bytes", MaxLine)
		}
	}
	if !s.inData {
		s.header++
		if s.header > MaxHeader {
			return 0, s.errorf(ErrSyntax, "header longer than %d bytes", MaxHeader)
		}
	}
	return b, nil
}

// peek returns the next byte without consuming it.
func (s *scanner) peek() (byte, error) {
	b, err := s.r.Peek(1)
	if err != nil {
		return 0, err
	}
	return b[0], nil
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\r' || b == '\n' }

func isKeyChar(b byte) bool {
	return b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '-' || b == '_'
}

// skipSpace consumes white space; it returns io.EOF at the end of input.
func (s *scanner) skipSpace() error {
	for {
		b, err := s.peek()
		if err != nil {
			return err
		}
		if !isSpace(b) {
			return nil
		}
		if _, err := s.next(); err != nil {
			return err
		}
	}
}

// skipBOM consumes a UTF-8 byte order mark and reports whether there was
// one.
func (s *scanner) skipBOM() bool {
	b, err := s.r.Peek(3)
	if err == nil && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		s.r.Discard(3)
		return true
	}
	return false
}

// expect consumes byte want or fails.
func (s *scanner) expect(want byte, what string) error {
	b, err := s.next()
	if err != nil {
		var pe *Error
		if errors.As(err, &pe) {
			return pe
		}
		return s.readErr(err, what)
	}
	if b != want {
		return s.errorf(ErrSyntax, "found %q, expected %s", b, what)
	}
	return nil
}

// wrap makes err an *Error unless it already is one.
func (s *scanner) wrap(err error, expected string) error {
	var pe *Error
	if errors.As(err, &pe) {
		return pe
	}
	return s.readErr(err, expected)
}

// quoted reads a string whose opening '"' is the next byte, appending its
// contents to b (total capped at MaxString).
func (s *scanner) quoted(b *strings.Builder) error {
	if err := s.expect('"', `'"'`); err != nil {
		return err
	}
	for {
		c, err := s.next()
		if err != nil {
			return s.wrap(err, `'"' closing the string`)
		}
		switch c {
		case '"':
			return nil
		case '\n', '\r':
			err := s.errorf(ErrSyntax, "line break inside a string")
			if c == '\n' {
				err.Line-- // the string is on the line that ended
			}
			return err
		}
		if b.Len() >= MaxString {
			return s.errorf(ErrSyntax, "string longer than %d bytes", MaxString)
		}
		b.WriteByte(c)
	}
}

// str reads one string item: a quoted string and any quoted strings that
// follow it separated only by white space.
func (s *scanner) str() (string, error) {
	var b strings.Builder
	for {
		if err := s.quoted(&b); err != nil {
			return "", err
		}
		if err := s.skipSpace(); err != nil {
			return "", s.wrap(err, "',' or ';'")
		}
		if c, _ := s.peek(); c != '"' {
			return b.String(), nil
		}
	}
}

// bare reads an unquoted item up to ',' or ';' or white space outside
// parentheses, keeping quoted strings inside parentheses verbatim
// (TLIST(A1,"1990"-"2017")).
func (s *scanner) bare() (string, error) {
	var b strings.Builder
	depth, inStr := 0, false
	for {
		c, err := s.peek()
		if err != nil {
			return "", s.wrap(err, "';'")
		}
		if !inStr && depth == 0 && (c == ',' || c == ';' || isSpace(c)) {
			break
		}
		if _, err := s.next(); err != nil {
			return "", s.wrap(err, "';'")
		}
		switch {
		case c == '"':
			inStr = !inStr
		case inStr && (c == '\n' || c == '\r'):
			return "", s.errorf(ErrSyntax, "line break inside a string")
		case !inStr && c == '(':
			depth++
		case !inStr && c == ')':
			depth--
			if depth < 0 {
				return "", s.errorf(ErrSyntax, "unbalanced ')'")
			}
		case !inStr && c == '=':
			return "", s.errorf(ErrSyntax, "found '=' in a value (a missing ';' before it?)")
		}
		if b.Len() >= MaxString {
			return "", s.errorf(ErrSyntax, "value longer than %d bytes", MaxString)
		}
		b.WriteByte(c)
	}
	return b.String(), nil
}

// name reads a keyword or language name.
func (s *scanner) name(what string) (string, error) {
	var b strings.Builder
	for {
		c, err := s.peek()
		if err != nil {
			if errors.Is(err, io.EOF) && b.Len() > 0 {
				break
			}
			return "", s.wrap(err, what)
		}
		if !isKeyChar(c) {
			break
		}
		if _, err := s.next(); err != nil {
			return "", s.wrap(err, what)
		}
		if b.Len() >= maxKeyword {
			return "", s.errorf(ErrSyntax, "%s longer than %d bytes", what, maxKeyword)
		}
		b.WriteByte(c)
	}
	if b.Len() == 0 {
		c, _ := s.peek()
		return "", s.errorf(ErrSyntax, "found %q, expected %s", c, what)
	}
	return b.String(), nil
}

// entry reads the next header entry. It returns io.EOF (unwrapped) when the
// input ends before a keyword. For DATA it returns after the '='.
func (s *scanner) entry() (*entry, error) {
	s.keyword = ""
	if err := s.skipSpace(); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		return nil, s.wrap(err, "a keyword")
	}
	e := &entry{line: s.line}
	kw, err := s.name("a keyword")
	if err != nil {
		return nil, err
	}
	e.keyword = strings.ToUpper(kw)
	s.keyword = e.keyword
	c, err := s.peek()
	if err != nil {
		return nil, s.wrap(err, "'='")
	}
	if c == '[' {
		s.next()
		if e.lang, err = s.name("a language code"); err != nil {
			return nil, err
		}
		if err := s.expect(']', "']'"); err != nil {
			return nil, err
		}
		c, _ = s.peek()
	}
	if c == '(' {
		s.next()
		for {
			if err := s.skipSpace(); err != nil {
				return nil, s.wrap(err, "a quoted subkey")
			}
			if c, _ := s.peek(); c != '"' {
				return nil, s.errorf(ErrSyntax, "found %q, expected a quoted subkey", c)
			}
			sub, err := s.str()
			if err != nil {
				return nil, err
			}
			e.sub = append(e.sub, sub)
			c, err := s.next()
			if err != nil {
				return nil, s.wrap(err, "')'")
			}
			if c == ')' {
				break
			}
			if c != ',' {
				return nil, s.errorf(ErrSyntax, "found %q in the subkeys, expected ',' or ')'", c)
			}
		}
	}
	if err := s.expect('=', "'='"); err != nil {
		return nil, err
	}
	if e.keyword == "DATA" {
		return e, nil
	}
	for {
		if err := s.skipSpace(); err != nil {
			return nil, s.wrap(err, "a value")
		}
		c, _ := s.peek()
		if c == ';' && len(e.items) == 0 {
			s.next()
			return e, nil
		}
		var it item
		if c == '"' {
			it.quoted = true
			it.text, err = s.str()
		} else {
			it.text, err = s.bare()
			if err == nil && it.text == "" {
				err = s.errorf(ErrSyntax, "found %q, expected a value", c)
			}
		}
		if err != nil {
			return nil, err
		}
		e.items = append(e.items, it)
		if err := s.skipSpace(); err != nil {
			return nil, s.wrap(err, "',' or ';'")
		}
		c, err = s.next()
		if err != nil {
			return nil, s.wrap(err, "',' or ';'")
		}
		switch c {
		case ';':
			return e, nil
		case ',':
		default:
			return nil, s.errorf(ErrSyntax, "found %q after a value, expected ',' or ';'", c)
		}
	}
}

// window returns the bytes buffered in the reader, filling it when empty.
func (s *scanner) window() ([]byte, error) {
	if s.r.Buffered() == 0 {
		if _, err := s.r.Peek(1); err != nil {
			return nil, err
		}
	}
	return s.r.Peek(s.r.Buffered())
}

// cell reads the next data cell, appending it to buf; it returns done at
// the ';' ending DATA. It scans the reader's buffer in place, so a cell
// costs no call per byte.
func (s *scanner) cell(buf []byte) (tok []byte, quoted, done bool, err error) {
	var w []byte
	for { // separators
		if w, err = s.window(); err != nil {
			return nil, false, false, s.wrap(err, "a data cell or ';'")
		}
		i := 0
	sep:
		for ; i < len(w); i++ {
			switch w[i] {
			case '\n':
				s.line++
			case ' ', '\t', '\r', ',':
			default:
				break sep
			}
		}
		s.r.Discard(i)
		if i < len(w) {
			w = w[i:]
			break
		}
	}
	if w[0] == ';' {
		s.r.Discard(1)
		return nil, false, true, nil
	}
	start := 0
	if w[0] == '"' {
		quoted, start = true, 1
	}
	i := start
	for {
		for ; i < len(w); i++ {
			c := w[i]
			if quoted {
				if c == '"' {
					buf = append(buf, w[start:i]...)
					s.r.Discard(i + 1)
					return buf, true, false, nil
				}
				if c == '\n' || c == '\r' {
					return nil, false, false, s.errorf(ErrSyntax, "line break inside a quoted data cell")
				}
			} else if isSpace(c) || c == ',' || c == ';' || c == '"' {
				buf = append(buf, w[start:i]...)
				s.r.Discard(i)
				return buf, false, false, nil
			}
			if len(buf)+i-start >= MaxCell {
				return nil, false, false, s.errorf(ErrSyntax, "data cell longer than %d bytes", MaxCell)
			}
		}
		buf = append(buf, w[start:]...)
		s.r.Discard(len(w))
		if w, err = s.window(); err != nil {
			if errors.Is(err, io.EOF) && !quoted {
				return buf, false, false, nil
			}
			return nil, false, false, s.wrap(err, "a data cell or ';'")
		}
		start, i = 0, 0
	}
}
