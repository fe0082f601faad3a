// Package outfile writes -o files so that nothing a user owns is lost:
// before anything is opened it refuses an output that is one of the inputs
// (by device and inode, through symbolic links and directories), a capture
// that would be overwritten without --force, and a name whose extension
// names another format than the one written; it then writes to a
// temporary file beside the output and renames it into place only when
// the output is complete, so that a run that fails or is stopped leaves
// the old file as it was.
package outfile
