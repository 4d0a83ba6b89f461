package replay_test

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/grunnlag/grunnlag/sources/replay"
)

// An index.json bundle (synthetic) answers a POST whose JSON body differs
// only in whitespace and query order, and refuses what it does not hold.
func ExampleIndex() {
	dir, err := os.MkdirTemp("", "bundle")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	index := `[{"method": "POST", "url": "https://dbh.offline/api?b=2&a=1", "body": "{\"tabell_id\": 998}",
	            "status": 200, "content_type": "application/json", "file": "answer.json"}]`
	_ = os.WriteFile(filepath.Join(dir, "index.json"), []byte(index), 0o644)
	_ = os.WriteFile(filepath.Join(dir, "answer.json"), []byte(`[{"Antall":3}]`), 0o644)

	rt, err := replay.Index("dbh", dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	c := &http.Client{Transport: rt}
	resp, err := c.Post("https://dbh.offline/api?a=1&b=2", "application/json", strings.NewReader(`{"tabell_id":998}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.StatusCode, string(b))

	_, err = c.Get("https://dbh.offline/other")
	fmt.Println(replay.Permanent(err))
	// Output:
	// 200 [{"Antall":3}]
	// true
}
