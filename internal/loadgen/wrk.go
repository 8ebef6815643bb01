package loadgen

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// wrkPercentiles are the latency percentiles read from wrk; Percentile answers these only.
var wrkPercentiles = []float64{50, 90, 95, 99}

// wrkScript makes wrk print, after its run, one line the caller parses: requests, errors,
// elapsed microseconds and the latency percentiles in microseconds. wrk's own summary
// rounds and gives no p95.
const wrkScript = `done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WHEREAS %d %d %d", summary.requests, e.connect + e.read + e.write + e.status + e.timeout, summary.duration))
  for _, p in ipairs({50, 90, 95, 99}) do io.write(string.format(" %d", latency:percentile(p))) end
  io.write("\n")
end
`

// HaveWrk says whether wrk is on PATH.
func HaveWrk() bool {
	_, err := exec.LookPath("wrk")
	return err == nil
}

// Wrk runs wrk (github.com/wg/wrk, Debian's package) at url with conns connections over
// threads threads for d, sending headers ("Name: value") with each request. wrk costs the
// machine far less per request than a Go client, so on a small machine shared with the
// server it takes less of the CPU it measures. Answers other than 2xx and 3xx count as errors.
func Wrk(ctx context.Context, url string, conns, threads int, d time.Duration, headers ...string) (Result, error) {
	dir, err := os.MkdirTemp("", "whereas-wrk-")
	if err != nil {
		return Result{}, err
	}
	defer os.RemoveAll(dir)
	script := filepath.Join(dir, "report.lua")
	if err := os.WriteFile(script, []byte(wrkScript), 0o600); err != nil {
		return Result{}, err
	}
	args := []string{"-t", strconv.Itoa(threads), "-c", strconv.Itoa(conns), "-d", fmt.Sprintf("%ds", max(1, int(d.Seconds()))),
		"--timeout", "30s", "-s", script}
	for _, h := range headers {
		args = append(args, "-H", h)
	}
	out, err := exec.CommandContext(ctx, "wrk", append(args, url)...).CombinedOutput()
	if err != nil {
		return Result{}, fmt.Errorf("wrk %s: %w\n%s", url, err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) != 4+len(wrkPercentiles) || f[0] != "WHEREAS" {
			continue
		}
		n := make([]int64, len(f)-1)
		for i, s := range f[1:] {
			if n[i], err = strconv.ParseInt(s, 10, 64); err != nil {
				return Result{}, fmt.Errorf("wrk: unreadable report %q", line)
			}
		}
		r := Result{Requests: int(n[0]), Errors: int(n[1]), Elapsed: time.Duration(n[2]) * time.Microsecond, fixed: map[float64]time.Duration{}}
		for i, p := range wrkPercentiles {
			r.fixed[p] = time.Duration(n[3+i]) * time.Microsecond
		}
		return r, nil
	}
	return Result{}, fmt.Errorf("wrk printed no report:\n%s", out)
}
