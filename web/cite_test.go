package web_test

import (
	"context"
	"testing"
	"time"

	"github.com/whereas/whereas/internal/i18n"
	"github.com/whereas/whereas/internal/tracker"
	"github.com/whereas/whereas/web"
)

// citeRefs are texts of every stage, dated and not, with and without a document number.
func citeRefs() map[string]tracker.TextRef {
	vote := time.Date(2019, 3, 14, 0, 0, 0, 0, time.UTC)
	tabled := time.Date(2019, 3, 11, 0, 0, 0, 0, time.UTC)
	motion := tracker.TextRef{Procedure: "2019/2610(RSP)", Title: "Human rights situation in Kazakhstan", Stage: tracker.Motion, VoteDate: vote}
	refs := map[string]tracker.TextRef{"Motion": motion}
	r := motion
	r.Reference, r.TextDate = "B8-0180/2019", tabled
	refs["MotionNumberedAndTabled"] = r
	r = motion
	r.TextDate = tabled
	refs["MotionTabled"] = r
	r = motion
	r.Stage, r.Reference = tracker.JointMotion, "RC-B8-0180/2019"
	refs["JointMotionNumbered"] = r
	r = motion
	r.Stage, r.VoteDate = tracker.JointMotion, time.Time{}
	refs["JointMotionNoVote"] = r
	r = motion
	r.Stage, r.Reference, r.TextDate = tracker.Adopted, "P8_TA(2019)0203", vote
	refs["Adopted"] = r
	r = motion
	r.Stage = tracker.Adopted
	refs["AdoptedDatedByTheVote"] = r
	r = motion
	r.Stage, r.VoteDate = tracker.Adopted, time.Time{}
	refs["AdoptedUndated"] = r
	r = motion
	r.Stage, r.Title = "", "Kazakhstan, notably the case of Max Bokayev"
	refs["NoStageTitleWithAName"] = r
	return refs
}

// In English the pages cite and describe a text byte for byte as tracker does for the API and
// the dossiers.
func TestCiteEnglishIsTrackers(t *testing.T) {
	ctx := web.WithLang(context.Background(), i18n.EN)
	for name, ref := range citeRefs() {
		t.Run(name, func(t *testing.T) {
			if got, want := web.TextHeading(ctx, ref).String(), ref.Heading(); got != want {
				t.Errorf("heading\n got %s\nwant %s", got, want)
			}
			if got, want := web.Cite(ctx, ref, tracker.Recital, "K").String(), tracker.Cite(ref, tracker.Recital, "K"); got != want {
				t.Errorf("cite\n got %s\nwant %s", got, want)
			}
			if got, want := web.Cite(ctx, ref, tracker.Point, "3(a)").String(), tracker.Cite(ref, tracker.Point, "3(a)"); got != want {
				t.Errorf("cite a point\n got %s\nwant %s", got, want)
			}
			if got, want := web.TextDescription(ctx, ref).String(), ref.Describe(); got != want {
				t.Errorf("describe\n got %s\nwant %s", got, want)
			}
		})
	}
	if got, want := web.StageDate(citeRefs()["MotionTabled"]), "tabled 11 March 2019; resolution adopted 14 March 2019"; got != want {
		t.Errorf("StageDate = %q, want %q", got, want)
	}
}

// In Russian and Kazakh the citation is written as each language cites a document, the title
// kept as published and marked as English, the Parliament's numbers and the clause's label
// kept apart as not to translate.
func TestCiteInRussianAndKazakh(t *testing.T) {
	refs := citeRefs()
	for _, c := range []struct {
		lang i18n.Lang
		ref  string
		want string
	}{
		{i18n.RU, "Motion", "Проект резолюции «Human rights situation in Kazakhstan», 2019/2610(RSP), пункт преамбулы K; Парламент принял резолюцию 14 марта 2019 г."},
		{i18n.RU, "Adopted", "Резолюция Европейского парламента от 14 марта 2019 г. «Human rights situation in Kazakhstan» (2019/2610(RSP), P8_TA(2019)0203), пункт преамбулы K"},
		{i18n.RU, "MotionNumberedAndTabled", "Проект резолюции «Human rights situation in Kazakhstan» (B8-0180/2019, внесён 11 марта 2019 г.), 2019/2610(RSP), пункт преамбулы K; Парламент принял резолюцию 14 марта 2019 г."},
		{i18n.KK, "Adopted", "Еуропалық Парламенттің 2019 жылғы 14 наурыздағы «Human rights situation in Kazakhstan» қарары (2019/2610(RSP), P8_TA(2019)0203), кіріспе бөлімнің K тармағы"},
		{i18n.KK, "MotionNumberedAndTabled", "«Human rights situation in Kazakhstan» қарар жобасы (B8-0180/2019, 2019 жылғы 11 наурызда енгізілген), 2019/2610(RSP), кіріспе бөлімнің K тармағы; Парламент қарарды 2019 жылғы 14 наурызда қабылдады"},
	} {
		ctx := web.WithLang(context.Background(), c.lang)
		ps := web.Cite(ctx, refs[c.ref], tracker.Recital, "K")
		if got := ps.String(); got != c.want {
			t.Errorf("%s %s:\n got %s\nwant %s", c.lang, c.ref, got, c.want)
		}
		marked := map[string]string{}
		for _, p := range ps {
			switch {
			case p.Lang != "":
				marked[p.Text] = "lang=" + p.Lang
			case p.Keep:
				marked[p.Text] = "keep"
			}
		}
		for text, how := range map[string]string{"Human rights situation in Kazakhstan": "lang=en", "2019/2610(RSP)": "keep", "K": "keep"} {
			if marked[text] != how {
				t.Errorf("%s %s: %q marked %q, want %q", c.lang, c.ref, text, marked[text], how)
			}
		}
	}
	ru := web.WithLang(context.Background(), i18n.RU)
	if got, want := web.TextDescription(ru, refs["Motion"]).String(), "Проект резолюции, дата внесения неизвестна. Парламент принял резолюцию по этой процедуре 14 марта 2019 г.; ниже приведён текст этого проекта, а не принятый текст."; got != want {
		t.Errorf("ru describe\n got %s\nwant %s", got, want)
	}
	kk := web.WithLang(context.Background(), i18n.KK)
	if got, want := web.StageDateText(kk, refs["MotionTabled"]), "2019 жылғы 11 наурызда енгізілген; қарар 2019 жылғы 14 наурызда қабылданған"; got != want {
		t.Errorf("kk stage date\n got %s\nwant %s", got, want)
	}
}
