package main

import "cuelang.org/go/cue"

// handleEntry keeps a value alive on the engine side until the client releases it.
type handleEntry struct {
	value cue.Value
	// baseDir is the directory positions are reported relative to ("" for compiled sources).
	baseDir string
	// pkg scopes hidden fields: "_" for compiled sources, the instance ID for loaded packages.
	pkg string
}

type handleTable struct {
	next    int64
	entries map[int64]handleEntry
}

func newHandleTable() *handleTable {
	return &handleTable{next: 1, entries: map[int64]handleEntry{}}
}

func (t *handleTable) add(v cue.Value, like handleEntry) int64 {
	id := t.next
	t.next++
	t.entries[id] = handleEntry{value: v, baseDir: like.baseDir, pkg: like.pkg}
	return id
}

func (t *handleTable) get(id int64) (handleEntry, error) {
	e, ok := t.entries[id]
	if !ok {
		return handleEntry{}, failf(codeUnknownHandle, "unknown handle %d (released, or the engine restarted)", id)
	}
	return e, nil
}

func (t *handleTable) release(ids []int64) int {
	n := 0
	for _, id := range ids {
		if _, ok := t.entries[id]; ok {
			delete(t.entries, id)
			n++
		}
	}
	return n
}
