package dag

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/grunnlag/grunnlag/pipelines/store"
)

// Step results kept in the state.
const (
	StatusOK     = "ok"
	StatusFailed = "failed"
)

// State is <kb>/state/dag.json: the last result of every step.
type State struct {
	Steps map[string]*StepState `json:"steps"`
}

// StepState is the last result of one step.
type StepState struct {
	// Key is the input key of the last successful run (derived steps).
	Key string `json:"key,omitempty"`
	// Output is the step's current output identity ("" before any success).
	Output string `json:"output,omitempty"`
	// Code is the code version of the last successful run.
	Code string `json:"code,omitempty"`
	// Status is "ok" or "failed" for the last run.
	Status   string    `json:"status"`
	Error    string    `json:"error,omitempty"`
	Finished time.Time `json:"finished"`
	// LastSuccess is when the step last succeeded.
	LastSuccess time.Time `json:"last_success,omitzero"`
	// Inputs are the input identities the last successful run used.
	Inputs map[string]string `json:"inputs,omitempty"`
}

func statePath(root string) string { return filepath.Join(root, "state", "dag.json") }

// ReadState reads <kb>/state/dag.json; a missing file is an empty state.
func ReadState(root string) (*State, error) {
	b, err := os.ReadFile(statePath(root))
	if errors.Is(err, os.ErrNotExist) {
		return &State{Steps: map[string]*StepState{}}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("dag: state: %w", err)
	}
	var s State
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("dag: state: %s: %w", statePath(root), err)
	}
	if s.Steps == nil {
		s.Steps = map[string]*StepState{}
	}
	return &s, nil
}

// updateState is a read-modify-write of the state file; the caller holds
// the kb lock.
func updateState(root string, fn func(*State)) error {
	s, err := ReadState(root)
	if err != nil {
		return err
	}
	fn(s)
	if err := store.WriteJSON(statePath(root), s); err != nil {
		return fmt.Errorf("dag: state: %w", err)
	}
	return nil
}
