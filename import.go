package koodrive

import (
	"context"
	"time"
)

// MaxFileRows is the most rows an uploaded import file may hold.
const MaxFileRows = 1_000_000

// RowSource yields import rows one at a time, io.EOF after the last; a
// file reader of package importer is one.
type RowSource interface {
	Read() (ImportRow, error)
}

// UploadCreate describes an import to verify: the department the file is
// relative to, what to do with existing users, and the file's name.
type UploadCreate struct {
	CurDeptID ID // 0: the root department
	Mode      ImportMode
	FileName  string
}

// Upload is a verified import, waiting to run as a task: KooDrive's
// "resultId" of a pre-verified file.
type Upload struct {
	ID        ID
	CurDeptID ID
	Mode      ImportMode
	FileName  string
	Rows      int // data rows
	Passed    int // rows that would create or update a user
	Skipped   int // rows whose user exists, in skip mode
	Failed    int
	CreatedBy ID
	CreatedAt time.Time
	TaskID    ID // 0 until it runs
}

// TaskStatus is KooDrive's task state, plus Cancelled.
type TaskStatus int

// Task statuses.
const (
	TaskNew       TaskStatus = 0
	TaskExecuting TaskStatus = 1
	TaskSucceeded TaskStatus = 2 // every row was looked at; some may have failed
	TaskFailed    TaskStatus = 3 // the task stopped: the organization or its rights changed under it
	TaskCancelled TaskStatus = 4
)

// TaskImport is KooDrive's task type of batch imports.
const TaskImport = 1

// Task runs an upload's rows into the organization in batches; its progress
// commits with each batch, so that it resumes where it stopped.
type Task struct {
	ID        ID
	Type      int
	OrgID     ID
	CreatedBy ID
	UploadID  ID
	Status    TaskStatus
	Mode      ImportMode
	Total     int // rows
	Done      int // rows looked at
	Created   int
	Updated   int
	Skipped   int
	Failed    int
	CreatedAt time.Time
	StartedAt time.Time
	EndedAt   time.Time
	Cancel    bool // cancellation was asked for
}

// Outcome is what became of a row.
type Outcome int

// Row outcomes.
const (
	OutcomePending Outcome = iota // not imported (yet)
	OutcomeCreated
	OutcomeUpdated
	OutcomeSkipped
	OutcomeFailed
)

// RowResult is one row of an upload or task with what became of it.
type RowResult struct {
	Row     ImportRow
	Number  int // position in the upload, from 1
	Outcome Outcome
	Result  VerifyResult // the reasons it fails, if it does
	UserID  ID           // the user it created or updated
}

// TaskFilter selects tasks for a listing (KooDrive's cursor paging).
type TaskFilter struct {
	Type     int // 0: every type
	Statuses []TaskStatus
	Cursor   ID // tasks after this one (newest first)
	PageSize int
}

// ImportTasks stores uploaded imports and runs them as tasks.
type ImportTasks interface {
	// UploadImport stores the rows of a file as they are read and verifies
	// them all, keeping only a batch in memory. EFORBIDDEN unless the actor
	// manages users in the department, EMALFORMED for an unreadable file.
	UploadImport(ctx context.Context, a Actor, in UploadCreate, rows RowSource) (*Upload, error)

	// FindUpload returns an upload. ENOTFOUND if there is none or it is not
	// the actor's.
	FindUpload(ctx context.Context, a Actor, id ID) (*Upload, error)

	// UploadRows returns a page of an upload's rows with their verification
	// (all, or the failing ones), in file order, and how many there are.
	UploadRows(ctx context.Context, a Actor, id ID, failedOnly bool, offset, limit int) ([]RowResult, int, error)

	// StartImport turns a verified upload into a task. ECONFLICT if it was
	// started before.
	StartImport(ctx context.Context, a Actor, uploadID ID) (*Task, error)

	// FindTask returns a task and its progress.
	FindTask(ctx context.Context, a Actor, id ID) (*Task, error)

	// FindTasks lists tasks, newest first, and the cursor of the next page
	// (0 on the last).
	FindTasks(ctx context.Context, a Actor, f TaskFilter) ([]*Task, ID, error)

	// TaskRows returns a page of a task's rows with their outcomes (all, or
	// the failing ones), and how many there are.
	TaskRows(ctx context.Context, a Actor, id ID, failedOnly bool, offset, limit int) ([]RowResult, int, error)

	// CancelTask asks a task to stop after its current batch; the rows done
	// stay done. ECONFLICT for a task that has ended.
	CancelTask(ctx context.Context, a Actor, id ID) error
}
