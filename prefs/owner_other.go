//go:build !unix

package prefs

import "io/fs"

func fileOwner(fs.FileInfo) (int, int) { return -1, -1 }
