package tracker

import (
	"testing"
	"time"
)

func TestCite(t *testing.T) {
	vote := time.Date(2019, 3, 14, 0, 0, 0, 0, time.UTC)
	motion := TextRef{Procedure: "2019/2610(RSP)", Title: "Human rights situation in Kazakhstan", Stage: Motion, VoteDate: vote}
	adopted := motion
	adopted.Stage, adopted.TextDate = Adopted, vote
	joint := motion
	joint.Stage, joint.Reference, joint.TextDate = JointMotion, "RC-B8-0180/2019", time.Date(2019, 3, 12, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name string
		ref  TextRef
		kind ClauseKind
		want string
	}{
		{"MotionSaysTheParliamentAdoptedAResolution", motion, Recital,
			"Motion for a resolution on the human rights situation in Kazakhstan, 2019/2610(RSP), recital K; the Parliament adopted a resolution on 14 March 2019"},
		{"AdoptedTextIsDated", adopted, Recital,
			"European Parliament resolution of 14 March 2019 on the human rights situation in Kazakhstan (2019/2610(RSP)), recital K"},
		{"JointMotionWithReferenceAndTablingDate", joint, Recital,
			"Joint motion for a resolution on the human rights situation in Kazakhstan (RC-B8-0180/2019, tabled on 12 March 2019), 2019/2610(RSP), recital K; the Parliament adopted a resolution on 14 March 2019"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Cite(c.ref, c.kind, "K"); got != c.want {
				t.Errorf("Cite:\n got %s\nwant %s", got, c.want)
			}
		})
	}
	t.Run("MotionNeverDatedByTheVote", func(t *testing.T) {
		if got, want := motion.Describe(), "Motion for a resolution, date tabled unknown. The Parliament adopted a resolution in this procedure on 14 March 2019; the words below are this motion's, not the adopted text's."; got != want {
			t.Errorf("Describe:\n got %s\nwant %s", got, want)
		}
	})
	t.Run("TitleStartingWithANameKeepsItsCapital", func(t *testing.T) {
		r := adopted
		r.Title = "Kazakhstan, notably the case of Max Bokayev"
		if got, want := Cite(r, Paragraph, "3(a)"), "European Parliament resolution of 14 March 2019 on Kazakhstan, notably the case of Max Bokayev (2019/2610(RSP)), paragraph 3(a)"; got != want {
			t.Errorf("got %s", got)
		}
	})
}

func TestValidOfficialURL(t *testing.T) {
	for raw, ok := range map[string]bool{
		"": true, "https://www.europarl.europa.eu/doceo/document/TA-8-2019-0203_EN.html": true,
		"https://europarl.europa.eu/x": true, "http://www.europarl.europa.eu/x": false,
		"https://europarl.europa.eu.evil.example/x": false, "https://evil.example/europarl.europa.eu": false,
		"javascript:alert(1)": false, "https://user@www.europarl.europa.eu/": false, "www.europarl.europa.eu/x": false,
	} {
		if got := ValidOfficialURL(raw) == ""; got != ok {
			t.Errorf("ValidOfficialURL(%q) ok = %v, want %v", raw, got, ok)
		}
	}
}
