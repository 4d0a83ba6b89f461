package jsonstat

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
)

// checkNumber compares parseNumber(s) with its two oracles: the JSON
// grammar as encoding/json's json.Valid sees a bare number, and
// strconv.ParseFloat(s, 64) bit for bit (ErrRange being outOfRange). s
// must consist of number bytes only, as the lexer hands parseNumber.
func checkNumber(t *testing.T, s string) {
	t.Helper()
	f, ok, over := parseNumber([]byte(s))
	if valid := json.Valid([]byte(s)); ok != valid {
		t.Fatalf("parseNumber(%q) ok = %v, want json.Valid = %v", s, ok, valid)
	}
	if ok != validNumber([]byte(s)) {
		t.Fatalf("parseNumber(%q) ok = %v but validNumber = %v", s, ok, !ok)
	}
	if !ok {
		return
	}
	want, err := strconv.ParseFloat(s, 64)
	if errors.Is(err, strconv.ErrRange) {
		if !over || f != 0 {
			t.Fatalf("parseNumber(%q) = %v, outOfRange %v, want 0, true (ParseFloat: %v)", s, f, over, err)
		}
		return
	}
	if err != nil {
		t.Fatalf("ParseFloat(%q) error %v for a JSON number", s, err)
	}
	if over || math.Float64bits(f) != math.Float64bits(want) {
		t.Fatalf("parseNumber(%q) = %v (%#x), outOfRange %v, want ParseFloat's %v (%#x)",
			s, f, math.Float64bits(f), over, want, math.Float64bits(want))
	}
}

// TestParseNumber checks the fast number parser against strconv.ParseFloat
// (bit for bit) and json.Valid (the grammar) on hand-picked edge cases and
// on about 250 000 generated strings.
func TestParseNumber(t *testing.T) {
	for _, s := range []string{
		"0", "-0", "0.0", "-0.0", "1", "-1", "0.1", "0.5", "1.5", "123.4", "-7.25",
		"9007199254740992",    // 2^53: the largest mantissa of the fast path
		"9007199254740993",    // 2^53+1: not a float64; ParseFloat rounds
		"900719925474099.3",   // 2^53+1 digits with a decimal point
		"9999999999999999999", // 19 digits, above 2^53
		"18446744073709551616", "123456789012345678901234567890",
		"0.30000000000000004", "1.0000000000000002", "0.1000000000000000055511151231257827",
		"0.0000000000000000000001", "0.00000000000000000000001", // 22 and 23 decimals
		"1234567.0000000000000001", "4.9e-324", "2.2250738585072014e-308",
		"1.7976931348623157e308", "1.7976931348623159e308", "1e309", "-1e309", "1e-400",
		"1e5", "1E5", "1e+5", "1e-5", "-1.5E-10", "0e0", "0.0e-0",
		// Not JSON numbers:
		"", "-", "+1", "01", "-01", "00", "1.", ".5", "-.5", "1e", "1e+", "1e-", "1.e5", "1..2",
		"1-2", "1e5.5", "1e5e5", "--1", "0-", "1+1", "e5", ".", "1.5.", "+", "0e", "-e1",
	} {
		checkNumber(t, s)
	}

	rng := rand.New(rand.NewPCG(1, 2)) // fixed seed: a reproducible test
	digits := func(n int, lead bool) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('0' + rng.IntN(10))
		}
		if lead && n > 1 && b[0] == '0' {
			b[0] = byte('1' + rng.IntN(9))
		}
		return string(b)
	}
	var b []byte
	for range 50_000 {
		// The shapes of statistics: an integer part, a few decimals.
		s := digits(1+rng.IntN(12), true)
		if rng.IntN(4) > 0 {
			s += "." + digits(1+rng.IntN(6), false)
		}
		if rng.IntN(3) == 0 {
			s = "-" + s
		}
		checkNumber(t, s)
		// Long mantissas and decimals around the fast path's bounds.
		s = digits(1+rng.IntN(20), true) + "." + digits(1+rng.IntN(25), false)
		checkNumber(t, s)
		// Exponents, and the shortest and fixed forms of random float64s.
		x := math.Float64frombits(rng.Uint64())
		if math.IsNaN(x) || math.IsInf(x, 0) {
			continue
		}
		b = strconv.AppendFloat(b[:0], x, 'g', -1, 64)
		checkNumber(t, string(b))
		y := float64(rng.Int64N(1e12)) / math.Pow(10, float64(rng.IntN(8)))
		b = strconv.AppendFloat(b[:0], y, 'f', rng.IntN(10)-1, 64)
		checkNumber(t, string(b))
	}
	// Random strings of number bytes: mostly not JSON numbers, which
	// parseNumber must refuse exactly when json.Valid does.
	const alphabet = "0123456789-+.eE"
	for range 50_000 {
		n := 1 + rng.IntN(8)
		s := make([]byte, n)
		for i := range s {
			s[i] = alphabet[rng.IntN(len(alphabet))]
		}
		checkNumber(t, string(s))
	}
}

// FuzzParseNumber is TestParseNumber's property on arbitrary strings of
// number bytes.
func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"0", "-0", "1.5", "9007199254740993", "1e309", "01", "0.30000000000000004"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for i := 0; i < len(s); i++ {
			if !numByte[s[i]] {
				return
			}
		}
		checkNumber(t, s)
	})
}

// jsonstatFiles returns every JSON-stat file in the project's testdata
// folders: this package's samples, the recorded SSB answers of the demo
// and the PxWebApi fixtures of the sources.
func jsonstatFiles(t testing.TB) []string {
	var files []string
	for _, pattern := range []string{
		"testdata/*.json",
		"../../testdata/demo/ssb/tables/*/data.json",
		"../pxweb/testdata/*/*.json",
		"../pxweb/testdata/*/tables/*/data.json",
		"../px/testdata/*.json",
		"../all/testdata/pxweb/*.json",
	} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range m {
			b, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(b, []byte(`"dimension"`)) {
				files = append(files, name)
			}
		}
	}
	if len(files) < 30 {
		t.Fatalf("found %d JSON-stat files in testdata, want the 30 or more of the project", len(files))
	}
	return files
}

// goldenFile holds the previous decoder's answers (the one that read the
// document with encoding/json's Decoder, before the one-pass lexer): for
// every document the tests below decode, keyed by the first 12 bytes of
// the document's SHA-256 in hex, either "ok " and the SHA-256 of the
// decoded datasets' JSON encoding, or "error " and the error's class
// (errClass). It was written by that decoder, run on the same documents,
// when the one-pass decoder replaced it; -update-golden rewrites it with
// the current decoder's answers (check them by hand first).
const goldenFile = "testdata/decode-golden.json"

var updateGolden = flag.Bool("update-golden", false, "rewrite "+goldenFile+" with the current decoder's answers")

var golden struct {
	once sync.Once
	mu   sync.Mutex
	m    map[string]string
	err  error
}

func goldenAnswers(t testing.TB) map[string]string {
	golden.once.Do(func() {
		b, err := os.ReadFile(goldenFile)
		if err == nil {
			err = json.Unmarshal(b, &golden.m)
		}
		golden.err = err
	})
	if golden.err != nil && !*updateGolden {
		t.Fatalf("%s: %v", goldenFile, golden.err)
	}
	if golden.m == nil {
		golden.m = map[string]string{}
	}
	return golden.m
}

func goldenKey(doc []byte) string {
	h := sha256.Sum256(doc)
	return hex.EncodeToString(h[:12])
}

// answer is what Decode makes of r, in goldenFile's form.
func answer(t *testing.T, r io.Reader) string {
	t.Helper()
	got, err := Decode(r)
	if err != nil {
		return "error " + errClass(err)
	}
	g, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(g)
	return "ok " + hex.EncodeToString(h[:])
}

// sameAsRecorded decodes doc (from r if not nil, else whole) and fails
// unless the result is the recorded one: the same datasets, compared by
// the SHA-256 of their JSON encoding (which gives every float64 by its
// shortest exact form, so values are compared bit for bit, -0 included),
// or an error of the same type and content. Malformed JSON is one class
// (its text must start with the byte offset), as the two decoders may see
// a document that is both malformed and of the wrong shape in a different
// order.
func sameAsRecorded(t *testing.T, name string, doc []byte, r io.Reader) {
	t.Helper()
	if r == nil {
		r = bytes.NewReader(doc)
	}
	got := answer(t, r)
	m := goldenAnswers(t)
	key := goldenKey(doc)
	golden.mu.Lock()
	defer golden.mu.Unlock()
	want, ok := m[key]
	if *updateGolden {
		m[key] = got
		return
	}
	if !ok {
		t.Fatalf("%s: no recorded answer in %s for this document (key %s): it is new or changed; "+
			"check what Decode makes of it and record it with go test -run %s -update-golden", name, goldenFile, key, t.Name())
	}
	if got != want {
		t.Fatalf("%s: Decode = %s\nwant the recorded %s", name, got, want)
	}
}

// TestMain writes goldenFile after the tests when -update-golden is set.
func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if *updateGolden && code == 0 && golden.m != nil {
		keys := make([]string, 0, len(golden.m))
		for k := range golden.m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b bytes.Buffer
		b.WriteString("{\n")
		for i, k := range keys {
			v, _ := json.Marshal(golden.m[k])
			fmt.Fprintf(&b, "%q:%s", k, v)
			if i < len(keys)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString("}\n")
		if err := os.WriteFile(goldenFile, b.Bytes(), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	os.Exit(code)
}

// errClass describes an error of Decode by type and content.
func errClass(err error) string {
	var e *Error
	var de *DuplicateKeyError
	switch {
	case err == nil:
		return "nil"
	case errors.As(err, &e):
		return fmt.Sprintf("Error%+v", *e)
	case errors.As(err, &de):
		return fmt.Sprintf("DuplicateKeyError%+v", *de)
	}
	if !strings.HasPrefix(err.Error(), "jsonstat: byte ") {
		return "unexpected: " + err.Error()
	}
	return "untyped"
}

// TestDecodeMatchesRecorded decodes every real JSON-stat file of the
// project, the 1e6-cell benchmark response and the synthetic sparse cube,
// whole and one byte per Read (so that every token straddles a refill of
// the lexer's window somewhere), and checks that the result equals the
// previous decoder's, recorded in goldenFile.
func TestDecodeMatchesRecorded(t *testing.T) {
	for _, name := range jsonstatFiles(t) {
		t.Run(name, func(t *testing.T) {
			doc, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			sameAsRecorded(t, name, doc, nil)
			sameAsRecorded(t, name+" (one byte per read)", doc, iotest.OneByteReader(bytes.NewReader(doc)))
			sameAsRecorded(t, name+" (with a BOM)", append([]byte("\uFEFF"), doc...), nil)
		})
	}
	// Synthetic: the benchmark's 1e6 cells (6.7 MB: about a hundred
	// refills of the window, inside numbers, nulls and keys) and the
	// sparse cube refused by the cell limit.
	sameAsRecorded(t, "bigResponse", bigResponse(), nil)
	sameAsRecorded(t, "sparseBomb", sparseBomb(4, 125, 15000), nil)
	sameAsRecorded(t, "small sparseBomb", sparseBomb(2, 30, 100), iotest.HalfReader(bytes.NewReader(sparseBomb(2, 30, 100))))
}

// TestDecodeVariantsMatchRecorded checks the decoder against the previous
// one's recorded answers on synthetic variants of a small dataset: each value and status form,
// bad elements, and malformed JSON at every place the value and status
// scanners look at.
func TestDecodeVariantsMatchRecorded(t *testing.T) {
	const doc = `{"class":"dataset","label":"L","id":["a","b"],"size":[2,2],` +
		`"dimension":{"a":{"category":{"index":["x","y"]}},"b":{"category":{"index":{"p":1,"q":0},"label":{"p":"P"}}}},` +
		`"value":%s,"status":%s}`
	values := []string{
		`[1,2.5,-0,null]`, `[ 1 , 2 , 3 , 4 ]`, "[\n1e2,\t-1.5E-3,1e999,0.1]", `[1,2,3]`, `[1,2,3,4,5]`, `[]`, `null`,
		`{"0":1,"3":2.5}`, `{}`, `{"0":1,"0":2}`, `{"4":1}`, `{"x":1}`, `{"-1":1}`, `{"1":null}`, `{"\u0031":7}`,
		`[1,"2",3,4]`, `[1,true,false,null]`, `[{"a":[1]},[2],3,4]`, `"x"`, `5`, `true`,
		// Malformed:
		`[1,2,3,4`, `[1,2,3,4,]`, `[,1]`, `[1 2 3 4]`, `[01,2,3,4]`, `[1.,2,3,4]`, `[+1,2,3,4]`, `[nul,2,3,4]`,
		`[1,2,3,4}`, `{"0":1,}`, `{"0" 1}`, `{0:1}`, `{"0":1 "1":2}`, `[1,"a\x",3,4]`, `[1,"a` + "\x01" + `",3,4]`, `[`, `{`, `tru`,
	}
	statuses := []string{
		`null`, `"e"`, `".."`, `["a","..",null,"e"]`, `["e"]`, `[]`, `["a","b","c"]`, `{"1":"..","2":"p"}`, `{}`,
		`{"1":"x","1":"y"}`, `{"9":"x"}`, `{"z":"x"}`, `["a",3,null,"b"]`, `5`, `{"0":[1]}`, `["\u002e\u002e","e","e","e"]`,
		`["a","b"`, `["a",]`, `{"0":"a",}`, `{"0":}`, `"unterminated`,
	}
	for _, v := range values {
		for _, s := range statuses {
			in := fmt.Sprintf(doc, v, s)
			sameAsRecorded(t, in, []byte(in), nil)
			sameAsRecorded(t, in+" (one byte per read)", []byte(in), iotest.OneByteReader(strings.NewReader(in)))
		}
	}
	// Tokens longer than the lexer's 64 KiB window: a label of 200 000
	// bytes with escapes and UTF-8, a number of 100 000 digits, a status
	// of 70 000 bytes and an extension of 5 000 nested arrays.
	long := strings.Repeat(`ab\"\u00e5\n`, 20000) // 10 bytes each
	big := "1." + strings.Repeat("3", 100000)
	ext := `{"e":` + strings.Repeat(`[1,{"k":"v"},`, 5000) + `0` + strings.Repeat(`]`, 5000) + `}`
	in := `{"class":"dataset","label":"` + long + `","extension":` + ext + `,"id":["a"],"size":[2],` +
		`"dimension":{"a":{"category":{"index":["x","y"]}}},"value":[` + big + `,-` + big + `],"status":["` +
		strings.Repeat("x", 70000) + `",null]}`
	sameAsRecorded(t, "long tokens", []byte(in), nil)
	sameAsRecorded(t, "long tokens (half reads)", []byte(in), iotest.HalfReader(strings.NewReader(in)))
	if _, err := Decode(strings.NewReader(in)); err != nil {
		t.Errorf("Decode(long tokens) = %v", err)
	}
	// encoding/json's nesting limit in a member read whole: the extension
	// object and 9 999 arrays in it are 10 000 levels, allowed; one more
	// is refused.
	for _, n := range []int{9999, 10000} {
		in := strings.Replace(splice("", "", ""), `"value"`, `"extension":{"e":`+strings.Repeat("[", n)+strings.Repeat("]", n)+`},"value"`, 1)
		sameAsRecorded(t, fmt.Sprintf("extension nested %d deep", n+1), []byte(in), nil)
		if _, err := Decode(strings.NewReader(in)); (err == nil) != (n == 9999) {
			t.Errorf("Decode(extension nested %d deep) error = %v", n+1, err)
		}
	}
}

// FuzzDecodeReaders decodes arbitrary bytes whole and one byte per Read
// (every token straddling a refill of the lexer's window): both must give
// the same answer, and whatever Decode accepts must be valid JSON to
// encoding/json.
func FuzzDecodeReaders(f *testing.F) {
	for _, name := range jsonstatFiles(f) {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		if len(b) < 16<<10 {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"class":"dataset","id":["a"],"size":[2],"dimension":{"a":{"category":{"index":{"x":1,"y":0}}}},"value":{"1":2},"status":"e"}`))
	f.Add([]byte(`{"class":"dataset","id":["a"],"size":[3],"dimension":{"a":{"category":{"index":["x","y","z"]}}},"value":[1.5,-0,null],"status":["e",null,".."]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		whole, bytewise := answer(t, bytes.NewReader(b)), answer(t, iotest.OneByteReader(bytes.NewReader(b)))
		if whole != bytewise {
			t.Fatalf("Decode(%q) = %s whole but %s one byte per read", b, whole, bytewise)
		}
		if strings.HasPrefix(whole, "ok ") && !json.Valid(bytes.TrimPrefix(b, utf8BOM)) {
			t.Fatalf("Decode accepted %q, which json.Valid refuses", b)
		}
	})
}

// TestReadError checks that a read error in the middle of the value array
// is returned, wrapped with the byte offset, not taken for the end.
func TestReadError(t *testing.T) {
	boom := errors.New("connection reset")
	doc := bigResponse()
	r := io.MultiReader(bytes.NewReader(doc[:len(doc)/2]), iotest.ErrReader(boom))
	_, err := Decode(r)
	if !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "jsonstat: byte ") {
		t.Errorf("Decode(reader failing half way) error = %v, want %v wrapped with the offset", err, boom)
	}
	// Truncated input is io.ErrUnexpectedEOF.
	_, err = Decode(bytes.NewReader(doc[:len(doc)/2]))
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("Decode(half the document) error = %v, want io.ErrUnexpectedEOF", err)
	}
}
