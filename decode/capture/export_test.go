package capture

// SetAfterFlush sets the hook the scan runs after each batch it publishes
// (nil: none), for captures opened after it.
func SetAfterFlush(f func()) { afterFlush = f }
