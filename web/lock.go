package web

import (
	"encoding/json"
	"fmt"
	"os"
	"time"
)

// LockInfo is what a running server writes beside its database, so that `earlywarn run` can
// tell the user to start the screening from the server rather than say only a PID holds the file.
type LockInfo struct {
	PID     int       `json:"pid"`
	Addr    string    `json:"addr"`
	Started time.Time `json:"started"`
}

// LockInfoPath is the lock info file of the database at dbPath.
func LockInfoPath(dbPath string) string { return dbPath + ".serve.json" }

// WriteLockInfo records that this process serves dbPath at addr.
func WriteLockInfo(dbPath, addr string) error {
	b, _ := json.Marshal(LockInfo{PID: os.Getpid(), Addr: addr, Started: time.Now().UTC()})
	tmp := LockInfoPath(dbPath) + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return fmt.Errorf("lock info: %w", err)
	}
	return os.Rename(tmp, LockInfoPath(dbPath))
}

// ReadLockInfo returns the server recorded beside dbPath, if any. A file left by a server that
// died is returned too; callers compare its PID with the lock holder's.
func ReadLockInfo(dbPath string) (LockInfo, bool) {
	var li LockInfo
	b, err := os.ReadFile(LockInfoPath(dbPath))
	if err != nil || json.Unmarshal(b, &li) != nil || li.PID == 0 {
		return LockInfo{}, false
	}
	return li, true
}

// RemoveLockInfo removes the lock info file when this process wrote it.
func RemoveLockInfo(dbPath string) {
	if li, ok := ReadLockInfo(dbPath); ok && li.PID == os.Getpid() {
		os.Remove(LockInfoPath(dbPath))
	}
}
