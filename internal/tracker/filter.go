package tracker

import "net/url"

// Filter narrows the people or cases index. Every field is optional; all that are set
// apply together. Values are slugs or codes, as they appear in addresses.
type Filter struct {
	Status     string // current status code, or NoStatus for records with none
	Role       string // people only
	Place      string // people only
	Law        string // legal provision slug
	Org        string // organisation slug
	Resolution string // resolution slug
	Clause     string // clause eId within Resolution
	Sort       string // "name" (default), "status" or "citations"
}

// NoStatus is the status filter's value for records with no status recorded: the status
// facet offers it as "No status recorded".
const NoStatus = "none"

// StatusFilterLabel is a status filter value in words.
func StatusFilterLabel(v string) string {
	if v == NoStatus {
		return "No status recorded"
	}
	return Status(v).Label()
}

// FilterParams are the query parameters a filter reads, in display order.
var FilterParams = []string{"status", "role", "place", "law", "org", "resolution", "clause", "sort"}

// FilterFromQuery reads a filter from a URL query.
func FilterFromQuery(q url.Values) Filter {
	return Filter{Status: q.Get("status"), Role: q.Get("role"), Place: q.Get("place"), Law: q.Get("law"), Org: q.Get("org"),
		Resolution: q.Get("resolution"), Clause: q.Get("clause"), Sort: q.Get("sort")}
}

// Query writes the filter back as URL parameters, leaving out what is unset, so a filtered
// list has an address that can be bookmarked and shared.
func (f Filter) Query() url.Values {
	v := url.Values{}
	for k, val := range map[string]string{"status": f.Status, "role": f.Role, "place": f.Place, "law": f.Law, "org": f.Org,
		"resolution": f.Resolution, "clause": f.Clause, "sort": f.Sort} {
		if val != "" {
			v.Set(k, val)
		}
	}
	return v
}

// With returns the filter with one parameter set (or cleared, with "").
func (f Filter) With(param, value string) Filter {
	switch param {
	case "status":
		f.Status = value
	case "role":
		f.Role = value
	case "place":
		f.Place = value
	case "law":
		f.Law = value
	case "org":
		f.Org = value
	case "resolution":
		f.Resolution = value
		if value == "" {
			f.Clause = ""
		}
	case "clause":
		f.Clause = value
	case "sort":
		f.Sort = value
	}
	return f
}

// Get returns one parameter's value.
func (f Filter) Get(param string) string { return f.Query().Get(param) }

// Active reports whether any narrowing filter is set.
func (f Filter) Active() bool {
	g := f
	g.Sort = ""
	return len(g.Query()) > 0
}

// Validate refuses a sort the index does not offer and a clause without its resolution.
func (f Filter) Validate() error {
	switch f.Sort {
	case "", "name", "status", "citations":
	default:
		return Errorf(EINVALID, "sort must be name, status or citations.")
	}
	if f.Clause != "" && f.Resolution == "" {
		return Errorf(EINVALID, "A clause filter needs its resolution: add resolution=…")
	}
	return nil
}

// FacetValue is one value a facet can take, with how many records have it.
type FacetValue struct {
	Value string
	Label string
	Count int
}

// Facet is one filter dimension with its values and counts, counted with every other
// filter applied, so the numbers say what choosing a value would give.
type Facet struct {
	Param  string
	Title  string
	Values []FacetValue
}
