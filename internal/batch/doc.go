// Package batch runs many captures at once and writes their output in
// input order, byte for byte what one job would write. One scheduler
// (sched) serves both the table views' --jobs (Session) and the batch
// view (Run): workers take the next capture under a lock, and the worker
// that finishes the capture the output waits for writes it and every
// capture after it that is done, so that no producer or writer goroutine
// is woken per capture.
//
// Output waiting for its turn is held in pooled chunks up to a budget and
// in unlinked temporary files beyond (spill); archives are read one at a
// time in input order, their members handed out as captures. A batch can
// resume from a manifest of finished captures and take one shard of the
// inputs.
//
// It is handed its encoders (JSON Lines is its own: the record format) and
// does not import table or any other view.
package batch
