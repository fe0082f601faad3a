// Package views runs each view of the command once its flags are parsed
// into Options: what it reads (a Session over the inputs, a second pass
// for ladders, the live lab, a batch) and which writer prints it (table,
// draw, report). Exit statuses and usage errors are its words to main.
//
// It may import every package of the command below it; nothing imports
// it but main.
package views
