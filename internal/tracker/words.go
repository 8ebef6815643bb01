package tracker

import "fmt"

// Plural writes a count with its noun: "1 case", "3 cases", "0 clauses". Every page and
// dossier counts through it, so none says "1 cases".
func Plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
