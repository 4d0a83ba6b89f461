package pxweb

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseExpr(t *testing.T) {
	tests := []struct {
		in   string
		want Expr
		err  bool
	}{
		{"0301", Expr{Kind: ExprCode, Code: "0301"}, false},
		{"*", Expr{Kind: ExprAll}, false},
		{"2020*", Expr{Kind: ExprMask, Code: "2020*"}, false},
		{"202?M12", Expr{Kind: ExprMask, Code: "202?M12"}, false},
		{"top(3)", Expr{Kind: ExprTop, N: 3}, false},
		{"TOP(3, 1)", Expr{Kind: ExprTop, N: 3, Offset: 1}, false},
		{"bottom(2)", Expr{Kind: ExprBottom, N: 2}, false},
		{"from(2020)", Expr{Kind: ExprFrom, Code: "2020"}, false},
		{"to(2020)", Expr{Kind: ExprTo, Code: "2020"}, false},
		{"range(2018, 2020)", Expr{Kind: ExprRange, Code: "2018", Code2: "2020"}, false},
		{"", Expr{}, true},
		{"top(0)", Expr{}, true},
		{"top(x)", Expr{}, true},
		{"top(2,-1)", Expr{}, true},
		{"range(2018)", Expr{}, true},
		{"from()", Expr{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseExpr(tc.in)
			if (err != nil) != tc.err {
				t.Fatalf("ParseExpr(%q) error %v, want error %v", tc.in, err, tc.err)
			}
			if err == nil && got != tc.want {
				t.Errorf("ParseExpr(%q) = %+v, want %+v", tc.in, got, tc.want)
			}
		})
	}
}

func TestResolve(t *testing.T) {
	years := []string{"2015", "2016", "2017", "2018", "2019", "2020", "2021", "2022", "2023", "2024"}
	regions := []string{"5001", "5006", "5007", "5014", "3101"}
	tests := []struct {
		name   string
		codes  []string
		isTime bool
		exprs  []string
		want   []int
		err    string
	}{
		{"codes keep metadata order", regions, false, []string{"5007", "5001"}, []int{0, 2}, ""},
		{"all", regions, false, []string{"*"}, []int{0, 1, 2, 3, 4}, ""},
		{"mask", regions, false, []string{"500*"}, []int{0, 1, 2}, ""},
		{"mask ?", years, true, []string{"201?"}, []int{0, 1, 2, 3, 4}, ""},
		{"top time = latest", years, true, []string{"top(3)"}, []int{7, 8, 9}, ""},
		{"top time offset", years, true, []string{"top(2,1)"}, []int{7, 8}, ""},
		{"bottom time = earliest", years, true, []string{"bottom(2)"}, []int{0, 1}, ""},
		{"top non-time = first", regions, false, []string{"top(2)"}, []int{0, 1}, ""},
		{"bottom non-time = last", regions, false, []string{"bottom(2)"}, []int{3, 4}, ""},
		{"top larger than list", regions, false, []string{"top(9)"}, []int{0, 1, 2, 3, 4}, ""},
		{"from", years, true, []string{"from(2022)"}, []int{7, 8, 9}, ""},
		{"to", years, true, []string{"to(2016)"}, []int{0, 1}, ""},
		{"range reversed", years, true, []string{"range(2020,2018)"}, []int{3, 4, 5}, ""},
		{"union", years, true, []string{"2015", "top(1)", "2015"}, []int{0, 9}, ""},
		{"exact code wins", []string{"A*", "AB"}, false, []string{"A*"}, []int{0}, ""},
		{"unknown code", regions, false, []string{"9999"}, nil, `value "9999" is not a valid value code`},
		{"unknown bound", years, true, []string{"from(1990)"}, nil, `value "1990"`},
		{"empty mask", years, true, []string{"19*"}, nil, "selects no values"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Resolve(tc.codes, tc.isTime, tc.exprs)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("Resolve(%v) error %v, want %q", tc.exprs, err, tc.err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Resolve(%v) = %v, %v, want %v", tc.exprs, got, err, tc.want)
			}
		})
	}
}

func TestMatchMask(t *testing.T) {
	for _, tc := range []struct {
		p, s string
		want bool
	}{
		{"2020*", "2020M01", true}, {"2020*", "2020", true}, {"2020*", "2019", false},
		{"*M12", "2020M12", true}, {"202?M12", "2021M12", true}, {"202?M12", "2021M11", false},
		{"?", "Å", true}, {"a*b*c", "axxbyyc", true}, {"a*b*c", "axxbyy", false}, {"**", "", true},
	} {
		if got := matchMask(tc.p, tc.s); got != tc.want {
			t.Errorf("matchMask(%q, %q) = %v, want %v", tc.p, tc.s, got, tc.want)
		}
	}
}

func FuzzParseExpr(f *testing.F) {
	for _, s := range []string{"0301", "*", "2020*", "top(3)", "top(3,1)", "bottom(2)", "from(x)", "to(y)",
		"range(a,b)", "range(,)", "TOP( 5 )", "(", ")", "top(", "202?M1"} {
		f.Add(s)
	}
	codes := []string{"2019", "2020", "2021M01", "a,b", "top(1)"}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := ParseExpr(s)
		if err != nil {
			return
		}
		switch e.Kind {
		case ExprTop, ExprBottom:
			if e.N < 1 || e.Offset < 0 {
				t.Fatalf("ParseExpr(%q) = %+v: invalid count", s, e)
			}
		case ExprRange:
			if e.Code == "" || e.Code2 == "" {
				t.Fatalf("ParseExpr(%q) = %+v: empty bound", s, e)
			}
		}
		pos, err := Resolve(codes, true, []string{s})
		if err != nil {
			return
		}
		for i, p := range pos {
			if p < 0 || p >= len(codes) || (i > 0 && pos[i-1] >= p) {
				t.Fatalf("Resolve(%q) = %v: not ascending positions in range", s, pos)
			}
		}
	})
}
