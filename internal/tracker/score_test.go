package tracker

import "testing"

// TestFollowUpScoreCountsOnlyAssessedDemands: the score is made of the demands staff have
// judged; an unassessed demand is neither met nor unmet, and with none assessed there is no
// score at all (it used to read 0 %, a finding nobody made).
func TestFollowUpScoreCountsOnlyAssessedDemands(t *testing.T) {
	for _, c := range []struct {
		name string
		r    ResolutionSummary
		want int
	}{
		{"SeedNineNotMetTwentyUnknown", ResolutionSummary{Demands: 29, NotMet: 9, Unassessed: 20}, 0},
		{"OneOfNineAssessedMet", ResolutionSummary{Demands: 29, Met: 1, NotMet: 8, Unassessed: 20}, 11},
		{"PartlyMetCountsHalf", ResolutionSummary{Demands: 4, Met: 1, PartlyMet: 1, NotMet: 2}, 38},
		{"NothingAssessedHasNoScore", ResolutionSummary{Demands: 20, Unassessed: 20}, -1},
		{"NoDemandsHasNoScore", ResolutionSummary{}, -1},
		{"SupersededIsNeitherAssessedNorPending", ResolutionSummary{Demands: 3, Met: 1, NotMet: 1, Unassessed: 0}, 50},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := c.r.FollowUpScore(); got != c.want {
				t.Errorf("FollowUpScore(%+v) = %d, want %d", c.r, got, c.want)
			}
		})
	}
}
