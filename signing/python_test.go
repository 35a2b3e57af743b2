package signing_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/koodrive/koodrive/signing"
)

// TestAgainstPython compares Sign with testdata/sign.py, an implementation
// written from the algorithm's description rather than from this package,
// so that a misreading of the spec shows up as a disagreement.
func TestAgainstPython(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not on PATH; skipping the cross-check against testdata/sign.py")
	}
	tests := []struct {
		name, method, target, body string
		extra                      map[string]string
	}{
		{name: "vector GET", method: "GET", target: "/koodrive/ose/v1/users/count?deptId="},
		{name: "vector POST", method: "POST", target: "/koodrive/ose/v1/users/batchimport/preverify", body: vectorBody},
		{
			name:   "UTF-8 query with repeated keys",
			method: "GET",
			target: "/files/%E6%96%87/./list/?name=中文&tag=b&tag=a&Tag=c&q=a+b&p=%2B&empty=&flag",
		},
		{
			name:   "encoded path, dot segments and an extra header",
			method: "PUT",
			target: "/a%2fb/x/../%41~?k=%e4%b8%ad&k=%20",
			body:   "new contents",
			extra:  map[string]string{"Content-Type": "text/plain; charset=utf-8"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRequest(t, tt.method, "http://"+vectorHost+tt.target, tt.body)
			var names []string
			for k, v := range tt.extra {
				r.Header.Set(k, v)
				names = append(names, k)
			}
			if err := signing.Sign(r, vectorAppID, vectorSecret, vectorTime, names...); err != nil {
				t.Fatalf("Sign: %v", err)
			}
			args := []string{"testdata/sign.py",
				"--secret", vectorSecret, "--method", tt.method, "--host", vectorHost, "--body", tt.body,
				"-H", "X-Date: " + r.Header.Get("X-Date"),
				"-H", "X-User-Id: " + r.Header.Get("X-User-Id"),
			}
			for k, v := range tt.extra {
				args = append(args, "-H", k+": "+v)
			}
			args = append(args, tt.target)
			out, err := exec.Command(python, args...).CombinedOutput()
			if err != nil {
				t.Fatalf("python3 %s: %v\n%s", strings.Join(args, " "), err, out)
			}
			got := parseAuth(t, r).Signature
			if want := strings.TrimSpace(string(out)); got != want {
				t.Errorf("Sign signature = %s, want %s (from testdata/sign.py)", got, want)
			}
		})
	}
}
