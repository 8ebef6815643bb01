package tracker

// PersonDocument is an attachment about a person, as their dossier lists it: the file,
// and the record it is attached to. That is the person, or one of their cases (a status
// entry's file is its case's), or a demand about them (a demand state's file is its
// demand's).
type PersonDocument struct {
	Attachment
	About EntityRef // a PersonEntity, a CaseEntity or a DemandEntity
}

// AboutURL is the page of the record the document is attached to.
func (d PersonDocument) AboutURL() string {
	return DocumentHit{OwnerType: d.About.Type, OwnerSlug: d.About.Slug}.OwnerURL()
}
