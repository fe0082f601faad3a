// Package inputs turns what a user names on the command line into captures
// to read: files, globs, directories walked in lexical order (never
// following symbolic links), standard input (spooled to a temporary file
// when it must be read twice), and the members of tar and ZIP archives,
// read as streams and never unpacked to disk. It also says who a file is
// (Identity: size, modification time, a hash of its first MiB) so that a
// resumed batch knows what it has done.
//
// It imports flows/capture for decompression, and nothing else of synfin.
package inputs
