package postgres

import (
	"testing"
	"time"
)

func TestLSN(t *testing.T) {
	for _, s := range []string{"0/0", "0/3000028", "16/B374D848", "FFFFFFFF/FFFFFFFF"} {
		l, err := ParseLSN(s)
		if err != nil || l.String() != s {
			t.Errorf("ParseLSN(%q) = %v, %v", s, l, err)
		}
	}
	for _, s := range []string{"", "0", "x/1", "1/", "100000000/0", "0/0/0"} {
		if _, err := ParseLSN(s); err == nil {
			t.Errorf("ParseLSN(%q) took it", s)
		}
	}
}

// TestReplicaLag checks lag against the primary's positions: a replica that has replayed
// what the primary had at the last poll has no lag, however long the primary has been
// idle; one that has not lags from the last time the primary was where it is.
func TestReplicaLag(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	at := func(ago time.Duration, pos LSN) primarySample { return primarySample{at: now.Add(-ago), pos: pos} }
	idle := []primarySample{at(6*time.Second, 100), at(4*time.Second, 100), at(2*time.Second, 100), at(0, 100)}
	busy := []primarySample{at(6*time.Second, 100), at(4*time.Second, 200), at(2*time.Second, 300), at(0, 400)}
	for _, c := range []struct {
		name       string
		history    []primarySample
		replayed   LSN
		lag        time.Duration
		wantBehind bool
	}{
		{"IdlePrimaryCaughtUp", idle, 100, 0, false},
		{"BusyPrimaryCaughtUp", busy, 400, 0, false},
		{"AheadOfLastPoll", busy, 450, 0, false},
		{"OnePollBehind", busy, 300, 2 * time.Second, false},
		{"BetweenPolls", busy, 250, 4 * time.Second, false},
		{"BehindEverything", busy, 50, 6 * time.Second, true},
		{"NoPrimaryPositionYet", nil, 50, 0, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			lag, behind := replicaLag(c.history, c.replayed, now)
			if lag != c.lag || behind != c.wantBehind {
				t.Errorf("lag = %v, behind %v; want %v, %v", lag, behind, c.lag, c.wantBehind)
			}
		})
	}
}

func TestReplicaName(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://whereas:secret@10.0.0.5:5433/whereas?sslmode=disable": "10.0.0.5:5433/whereas",
		"host=10.0.0.6 port=5434 dbname=w password=secret":                "10.0.0.6:5434/w",
	} {
		if got := replicaName(in); got != want {
			t.Errorf("replicaName(%q) = %q, want %q", in, got, want)
		}
	}
}
