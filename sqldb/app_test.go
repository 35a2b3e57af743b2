package sqldb_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/koodrive/koodrive"
	"github.com/koodrive/koodrive/sqldb"
)

func TestNewSealer(t *testing.T) {
	t.Parallel()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		if _, err := sqldb.NewSealer(make([]byte, sqldb.KeySize)); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("ErrKeySize", func(t *testing.T) {
		t.Parallel()
		for _, n := range []int{0, 16, sqldb.KeySize - 1, sqldb.KeySize + 1, 64} {
			s, err := sqldb.NewSealer(make([]byte, n))
			if err == nil {
				t.Errorf("%d-byte key: err = nil, want an error", n)
			}
			if s != nil {
				t.Errorf("%d-byte key: sealer = %v, want nil", n, s)
			}
		}
	})
}

// TestDB_CheckServerKey: the first key a database is checked with is the
// only one it accepts from then on, whichever of several instances
// starting together checks first.
func TestDB_CheckServerKey(t *testing.T) { eachBackend(t, testDB_CheckServerKey) }

func testDB_CheckServerKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	sealer := func(fill byte) *sqldb.Sealer {
		s, err := sqldb.NewSealer(bytes.Repeat([]byte{fill}, sqldb.KeySize))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		for range 2 {
			if err := db.CheckServerKey(ctx, sealer(1)); err != nil {
				t.Fatalf("the first key: %v", err)
			}
		}
		if err := db.CheckServerKey(ctx, sealer(2)); !errors.Is(err, sqldb.ErrServerKey) {
			t.Errorf("another key: err %v, want ErrServerKey", err)
		}
		db.MustReopen(t)
		if err := db.CheckServerKey(ctx, sealer(2)); !errors.Is(err, sqldb.ErrServerKey) {
			t.Errorf("another key after reopen: err %v, want ErrServerKey", err)
		}
		if err := db.CheckServerKey(ctx, sealer(1)); err != nil {
			t.Errorf("the first key after reopen: %v", err)
		}
	})

	t.Run("Concurrent", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		errs := make(chan error, 8)
		for i := range cap(errs) {
			go func() { errs <- db.CheckServerKey(ctx, sealer(byte(i%2))) }()
		}
		var accepted int
		for range cap(errs) {
			switch err := <-errs; {
			case err == nil:
				accepted++
			case !errors.Is(err, sqldb.ErrServerKey):
				t.Errorf("check: %v", err)
			}
		}
		if accepted != cap(errs)/2 {
			t.Errorf("%d checks accepted, want %d: those with the one key that won", accepted, cap(errs)/2)
		}
	})
}

func TestAppService_CreateApp(t *testing.T) { eachBackend(t, testAppService_CreateApp) }

func testAppService_CreateApp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		a, err := db.Apps.CreateApp(ctx, koodrive.Operator, "HR sync")
		if err != nil {
			t.Fatal(err)
		}
		if !isHexLen(a.AppID, 64) {
			t.Errorf("AppID = %q, want 64 hex digits", a.AppID)
		}
		if !isHexLen(a.Secret, 64) || a.Secret == a.AppID {
			t.Errorf("Secret = %q, want 64 hex digits of its own", a.Secret)
		}
		if got, want := a.Name, "HR sync"; got != want {
			t.Errorf("Name = %q, want %q", got, want)
		}
		if got, want := a.Status, koodrive.AppEnabled; got != want {
			t.Errorf("Status = %d, want %d", got, want)
		}
		if !a.CreatedAt.Equal(t0) || !a.UpdatedAt.Equal(t0) {
			t.Errorf("CreatedAt, UpdatedAt = %v, %v, want %v", a.CreatedAt, a.UpdatedAt, t0)
		}
		if !a.PreviousUntil.IsZero() {
			t.Errorf("PreviousUntil = %v, want zero", a.PreviousUntil)
		}
		// The same name again is another app.
		b, err := db.Apps.CreateApp(ctx, koodrive.Operator, "HR sync")
		if err != nil {
			t.Fatal(err)
		}
		if a.AppID == b.AppID || a.Secret == b.Secret {
			t.Errorf("two apps share an AppID or a secret: %+v, %+v", *a, *b)
		}
	})

	t.Run("OKLongestName", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		for _, name := range []string{strings.Repeat("a", 64), strings.Repeat("é", 64), "同步", "x"} {
			a, err := db.Apps.CreateApp(ctx, koodrive.Operator, name)
			if err != nil {
				t.Fatalf("name %q: %v", name, err)
			}
			if a.Name != name {
				t.Errorf("Name = %q, want %q", a.Name, name)
			}
		}
	})

	t.Run("ErrNameInvalid", func(t *testing.T) {
		t.Parallel()
		for _, tt := range []struct {
			test, name string
		}{
			{"ErrEmpty", ""},
			{"ErrTooLong", strings.Repeat("a", 65)},
			{"ErrTooLongRunes", strings.Repeat("é", 65)},
			{"ErrNUL", "bad\x00name"},
			{"ErrNewline", "bad\nname"},
			{"ErrTab", "bad\tname"},
			{"ErrDEL", "bad\x7fname"},
			{"ErrC1Control", "bad\u0085name"},
			{"ErrInvalidUTF8", "bad\xffname"},
		} {
			t.Run(tt.test, func(t *testing.T) {
				t.Parallel()
				db := MustOpenDB(t)
				a, err := db.Apps.CreateApp(ctx, koodrive.Operator, tt.name)
				assertError(t, err, koodrive.EINVALID, "name")
				if a != nil {
					t.Errorf("app = %+v, want nil", *a)
				}
				if got, want := len(mustFindApps(t, db)), 0; got != want {
					t.Errorf("%d apps, want %d", got, want)
				}
			})
		}
	})

	// App secrets are sealed with the server key: the file alone does not
	// reveal them, neither the current nor a rotated one.
	t.Run("OKSecretSealed", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		var secrets []string
		for _, name := range []string{"one", "two"} {
			a := mustCreateApp(t, db, name)
			secrets = append(secrets, a.Secret)
		}
		first := mustFindApps(t, db)[0]
		r, err := db.Apps.RotateAppSecret(ctx, koodrive.Operator, first.AppID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		secrets = append(secrets, r.Secret)
		rows := mustQueryAll(t, db.MustRawReadOnly(t), `SELECT * FROM apps`)
		if got, want := len(rows), 2; got != want {
			t.Fatalf("%d apps stored, want %d", got, want)
		}
		for _, row := range rows {
			for _, v := range row {
				for _, s := range secrets {
					if strings.Contains(strings.ToLower(v), s) {
						t.Errorf("apps holds the secret %q in clear (%q)", s, v)
					}
				}
			}
		}
	})
}

func TestAppService_AppKeys(t *testing.T) { eachBackend(t, testAppService_AppKeys) }

func testAppService_AppKeys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		a := mustCreateApp(t, db, "one")
		b := mustCreateApp(t, db, "two")
		for _, app := range []*koodrive.App{a, b} {
			got := mustAppKeys(t, db.Apps, app.AppID)
			if want := (koodrive.AppKeys{Status: koodrive.AppEnabled, Current: app.Secret}); *got != want {
				t.Errorf("AppKeys = %+v, want %+v", *got, want)
			}
		}
		// Another server with the same key reads them too.
		db.MustReopen(t)
		if got, want := mustAppKeys(t, db.Apps, a.AppID).Current, a.Secret; got != want {
			t.Errorf("Current after reopen = %q, want %q", got, want)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		a := mustCreateApp(t, db, "one")
		for _, id := range []string{"", "nope", strings.ToUpper(a.AppID), a.Secret} {
			keys, err := db.Apps.AppKeys(ctx, id)
			assertKind(t, err, koodrive.ENOTFOUND)
			if keys != nil {
				t.Errorf("app %q: keys = %+v, want nil", id, *keys)
			}
		}
	})

	// A server started with another key cannot open the secrets: that is
	// the server's fault, not the client's, and the message says why.
	t.Run("ErrOtherKey", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		a := mustCreateApp(t, db, "one")
		other := db.MustAppsWithKey(t, bytes.Repeat([]byte{0x5a}, sqldb.KeySize))
		keys, err := other.AppKeys(ctx, a.AppID)
		if err == nil {
			t.Fatalf("AppKeys with another key = %+v, want an error", *keys)
		}
		if keys != nil {
			t.Errorf("keys = %+v, want nil", *keys)
		}
		if got, want := koodrive.ErrorKind(err), koodrive.EINTERNAL; got != want {
			t.Errorf("error kind = %q, want %q (err: %v)", got, want, err)
		}
		if !strings.Contains(err.Error(), "server key") {
			t.Errorf("err = %q, want it to mention the server key", err)
		}
		// The right key still works.
		if got, want := mustAppKeys(t, db.Apps, a.AppID).Current, a.Secret; got != want {
			t.Errorf("Current = %q, want %q", got, want)
		}
	})

	t.Run("ErrOtherKeyPrevious", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		a := mustCreateApp(t, db, "one")
		if _, err := db.Apps.RotateAppSecret(ctx, koodrive.Operator, a.AppID, time.Hour); err != nil {
			t.Fatal(err)
		}
		other := db.MustAppsWithKey(t, bytes.Repeat([]byte{0x5a}, sqldb.KeySize))
		_, err := other.AppKeys(ctx, a.AppID)
		if got, want := koodrive.ErrorKind(err), koodrive.EINTERNAL; got != want {
			t.Errorf("error kind = %q, want %q (err: %v)", got, want, err)
		}
	})
}

func TestAppService_FindApps(t *testing.T) { eachBackend(t, testAppService_FindApps) }

func testAppService_FindApps(t *testing.T) {
	t.Parallel()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		if got, want := len(mustFindApps(t, db)), 0; got != want {
			t.Fatalf("%d apps in a new database, want %d", got, want)
		}
		var created []*koodrive.App
		for _, name := range []string{"zeta", "alpha", "mid"} {
			created = append(created, mustCreateApp(t, db, name))
			db.Clock.Advance(time.Second)
		}
		apps := mustFindApps(t, db)
		if got, want := len(apps), len(created); got != want {
			t.Fatalf("%d apps, want %d", got, want)
		}
		for i, got := range apps {
			want := *created[i]
			want.Secret = "" // never listed
			if *got != want {
				t.Errorf("apps[%d] = %+v, want %+v", i, *got, want)
			}
		}
	})

	t.Run("OKManyInOneInstant", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		seen := map[string]bool{}
		for range 5 {
			seen[mustCreateApp(t, db, "same time").AppID] = true
		}
		apps := mustFindApps(t, db)
		if got, want := len(apps), len(seen); got != want {
			t.Fatalf("%d apps, want %d", got, want)
		}
		for _, a := range apps {
			if !seen[a.AppID] || a.Secret != "" {
				t.Errorf("app %+v: unknown or with its secret", *a)
			}
		}
	})
}

func TestAppService_SetAppStatus(t *testing.T) { eachBackend(t, testAppService_SetAppStatus) }

func testAppService_SetAppStatus(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		a := mustCreateApp(t, db, "one")
		b := mustCreateApp(t, db, "two")
		for _, step := range []koodrive.AppStatus{koodrive.AppDisabled, koodrive.AppDisabled, koodrive.AppEnabled, koodrive.AppEnabled} {
			db.Clock.Advance(time.Minute)
			if err := db.Apps.SetAppStatus(ctx, koodrive.Operator, a.AppID, step); err != nil {
				t.Fatalf("set status %d: %v", step, err)
			}
			keys := mustAppKeys(t, db.Apps, a.AppID)
			if got, want := keys.Status, step; got != want {
				t.Errorf("AppKeys.Status = %d, want %d", got, want)
			}
			if got, want := keys.Current, a.Secret; got != want {
				t.Errorf("AppKeys.Current = %q, want %q (a status change keeps the secret)", got, want)
			}
			listed := mustFindApp(t, db, a.AppID)
			if got, want := listed.Status, step; got != want {
				t.Errorf("FindApps Status = %d, want %d", got, want)
			}
			if got, want := listed.UpdatedAt, db.Clock.Now(); !got.Equal(want) {
				t.Errorf("UpdatedAt = %v, want %v", got, want)
			}
			if got, want := mustFindApp(t, db, b.AppID).Status, koodrive.AppEnabled; got != want {
				t.Errorf("other app's Status = %d, want %d", got, want)
			}
			if got, want := mustAppKeys(t, db.Apps, b.AppID).Status, koodrive.AppEnabled; got != want {
				t.Errorf("other app's AppKeys.Status = %d, want %d", got, want)
			}
		}
	})

	t.Run("ErrInvalidStatus", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		a := mustCreateApp(t, db, "one")
		for _, s := range []koodrive.AppStatus{-1, 2, 7} {
			err := db.Apps.SetAppStatus(ctx, koodrive.Operator, a.AppID, s)
			assertError(t, err, koodrive.EINVALID, "status")
		}
		if got, want := mustAppKeys(t, db.Apps, a.AppID).Status, koodrive.AppEnabled; got != want {
			t.Errorf("Status = %d, want %d", got, want)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		mustCreateApp(t, db, "one")
		for _, id := range []string{"", "nope"} {
			assertKind(t, db.Apps.SetAppStatus(ctx, koodrive.Operator, id, koodrive.AppDisabled), koodrive.ENOTFOUND)
		}
	})
}

func TestAppService_DeleteApp(t *testing.T) { eachBackend(t, testAppService_DeleteApp) }

func testAppService_DeleteApp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		a := mustCreateApp(t, db, "one")
		b := mustCreateApp(t, db, "two")
		if err := db.Apps.DeleteApp(ctx, koodrive.Operator, a.AppID); err != nil {
			t.Fatal(err)
		}
		_, err := db.Apps.AppKeys(ctx, a.AppID)
		assertKind(t, err, koodrive.ENOTFOUND)
		apps := mustFindApps(t, db)
		if len(apps) != 1 || apps[0].AppID != b.AppID {
			t.Errorf("apps after delete = %v, want only %s", appIDs(apps), b.AppID)
		}
		assertKind(t, db.Apps.DeleteApp(ctx, koodrive.Operator, a.AppID), koodrive.ENOTFOUND)
		assertKind(t, db.Apps.SetAppStatus(ctx, koodrive.Operator, a.AppID, koodrive.AppEnabled), koodrive.ENOTFOUND)
		_, err = db.Apps.RotateAppSecret(ctx, koodrive.Operator, a.AppID, 0)
		assertKind(t, err, koodrive.ENOTFOUND)
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		mustCreateApp(t, db, "one")
		for _, id := range []string{"", "nope"} {
			assertKind(t, db.Apps.DeleteApp(ctx, koodrive.Operator, id), koodrive.ENOTFOUND)
		}
		if got, want := len(mustFindApps(t, db)), 1; got != want {
			t.Errorf("%d apps, want %d", got, want)
		}
	})
}

func TestAppService_RotateAppSecret(t *testing.T) { eachBackend(t, testAppService_RotateAppSecret) }

func testAppService_RotateAppSecret(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		a := mustCreateApp(t, db, "one")
		db.Clock.Advance(time.Minute)
		r, err := db.Apps.RotateAppSecret(ctx, koodrive.Operator, a.AppID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !isHexLen(r.Secret, 64) || r.Secret == a.Secret {
			t.Errorf("Secret = %q, want 64 new hex digits", r.Secret)
		}
		if r.AppID != a.AppID || r.Name != a.Name || r.Status != a.Status {
			t.Errorf("rotated app = %+v, want AppID, Name and Status of %+v", *r, *a)
		}
		if !r.CreatedAt.Equal(t0) || !r.UpdatedAt.Equal(db.Clock.Now()) {
			t.Errorf("CreatedAt, UpdatedAt = %v, %v, want %v, %v", r.CreatedAt, r.UpdatedAt, t0, db.Clock.Now())
		}
		if !r.PreviousUntil.IsZero() {
			t.Errorf("PreviousUntil = %v, want zero", r.PreviousUntil)
		}
		if got, want := *mustAppKeys(t, db.Apps, a.AppID), (koodrive.AppKeys{Current: r.Secret}); got != want {
			t.Errorf("AppKeys = %+v, want %+v (no previous secret)", got, want)
		}
		if got := mustFindApps(t, db)[0]; !got.PreviousUntil.IsZero() || !got.UpdatedAt.Equal(db.Clock.Now()) {
			t.Errorf("FindApps = %+v, want no PreviousUntil and UpdatedAt %v", *got, db.Clock.Now())
		}
	})

	t.Run("OKGrace", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		a := mustCreateApp(t, db, "one")
		r, err := db.Apps.RotateAppSecret(ctx, koodrive.Operator, a.AppID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		until := t0.Add(time.Hour)
		if !r.PreviousUntil.Equal(until) {
			t.Errorf("PreviousUntil = %v, want %v", r.PreviousUntil, until)
		}
		for _, step := range []time.Duration{0, 59 * time.Minute, time.Minute} {
			db.Clock.Advance(step)
			want := koodrive.AppKeys{Current: r.Secret, Previous: a.Secret}
			if got := *mustAppKeys(t, db.Apps, a.AppID); got != want {
				t.Errorf("at %v: AppKeys = %+v, want %+v", db.Clock.Now(), got, want)
			}
		}
		if got := mustFindApps(t, db)[0].PreviousUntil; !got.Equal(until) {
			t.Errorf("at the end of the grace: FindApps PreviousUntil = %v, want %v (AppKeys still gives the previous secret)", got, until)
		}
		db.Clock.Advance(time.Millisecond)
		want := koodrive.AppKeys{Current: r.Secret}
		if got := *mustAppKeys(t, db.Apps, a.AppID); got != want {
			t.Errorf("after the grace: AppKeys = %+v, want %+v", got, want)
		}
		if got := mustFindApps(t, db)[0].PreviousUntil; !got.IsZero() {
			t.Errorf("after the grace: FindApps PreviousUntil = %v, want zero", got)
		}
	})

	t.Run("OKGraceBeforeEnd", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		a := mustCreateApp(t, db, "one")
		if _, err := db.Apps.RotateAppSecret(ctx, koodrive.Operator, a.AppID, time.Hour); err != nil {
			t.Fatal(err)
		}
		db.Clock.Advance(time.Hour - time.Second)
		if got, want := mustFindApps(t, db)[0].PreviousUntil, t0.Add(time.Hour); !got.Equal(want) {
			t.Errorf("FindApps PreviousUntil = %v, want %v", got, want)
		}
	})

	// A second rotation keeps only the secret it replaces.
	t.Run("OKTwice", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		a := mustCreateApp(t, db, "one")
		r1, err := db.Apps.RotateAppSecret(ctx, koodrive.Operator, a.AppID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		db.Clock.Advance(time.Minute)
		r2, err := db.Apps.RotateAppSecret(ctx, koodrive.Operator, a.AppID, koodrive.MaxRotationGrace)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := *mustAppKeys(t, db.Apps, a.AppID), (koodrive.AppKeys{Current: r2.Secret, Previous: r1.Secret}); got != want {
			t.Errorf("AppKeys = %+v, want %+v", got, want)
		}
		if got, want := r2.PreviousUntil, db.Clock.Now().Add(koodrive.MaxRotationGrace); !got.Equal(want) {
			t.Errorf("PreviousUntil = %v, want %v", got, want)
		}
		// And a rotation without grace drops the previous one at once.
		r3, err := db.Apps.RotateAppSecret(ctx, koodrive.Operator, a.AppID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := *mustAppKeys(t, db.Apps, a.AppID), (koodrive.AppKeys{Current: r3.Secret}); got != want {
			t.Errorf("AppKeys = %+v, want %+v", got, want)
		}
	})

	t.Run("OKDisabled", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		a := mustCreateApp(t, db, "one")
		if err := db.Apps.SetAppStatus(ctx, koodrive.Operator, a.AppID, koodrive.AppDisabled); err != nil {
			t.Fatal(err)
		}
		r, err := db.Apps.RotateAppSecret(ctx, koodrive.Operator, a.AppID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := r.Status, koodrive.AppDisabled; got != want {
			t.Errorf("Status = %d, want %d", got, want)
		}
		if got, want := mustAppKeys(t, db.Apps, a.AppID).Status, koodrive.AppDisabled; got != want {
			t.Errorf("AppKeys.Status = %d, want %d (rotation keeps the status)", got, want)
		}
	})

	t.Run("ErrInvalidGrace", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		a := mustCreateApp(t, db, "one")
		for _, grace := range []time.Duration{-1, -time.Hour, koodrive.MaxRotationGrace + 1, koodrive.MaxRotationGrace + time.Second, 8 * 24 * time.Hour} {
			r, err := db.Apps.RotateAppSecret(ctx, koodrive.Operator, a.AppID, grace)
			assertError(t, err, koodrive.EINVALID, "graceSeconds")
			if r != nil {
				t.Errorf("grace %v: app = %+v, want nil", grace, *r)
			}
		}
		if got, want := *mustAppKeys(t, db.Apps, a.AppID), (koodrive.AppKeys{Current: a.Secret}); got != want {
			t.Errorf("AppKeys = %+v, want %+v (unchanged)", got, want)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		mustCreateApp(t, db, "one")
		for _, id := range []string{"", "nope"} {
			r, err := db.Apps.RotateAppSecret(ctx, koodrive.Operator, id, time.Hour)
			assertKind(t, err, koodrive.ENOTFOUND)
			if r != nil {
				t.Errorf("app = %+v, want nil", *r)
			}
		}
	})
}

// TestAppService_Authorize checks that only system administrators manage
// apps. AppKeys serves request verification and takes no actor.
func TestAppService_Authorize(t *testing.T) { eachBackend(t, testAppService_Authorize) }

func testAppService_Authorize(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	// Every method that takes an actor, called with valid arguments.
	calls := []struct {
		name string
		call func(s koodrive.AppService, a koodrive.Actor, appID string) error
	}{
		{"CreateApp", func(s koodrive.AppService, a koodrive.Actor, _ string) error {
			_, err := s.CreateApp(ctx, a, "new")
			return err
		}},
		{"FindApps", func(s koodrive.AppService, a koodrive.Actor, _ string) error {
			_, err := s.FindApps(ctx, a)
			return err
		}},
		{"SetAppStatus", func(s koodrive.AppService, a koodrive.Actor, appID string) error {
			return s.SetAppStatus(ctx, a, appID, koodrive.AppDisabled)
		}},
		{"RotateAppSecret", func(s koodrive.AppService, a koodrive.Actor, appID string) error {
			_, err := s.RotateAppSecret(ctx, a, appID, time.Hour)
			return err
		}},
		{"DeleteApp", func(s koodrive.AppService, a koodrive.Actor, appID string) error {
			return s.DeleteApp(ctx, a, appID)
		}},
	}

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		for _, a := range []koodrive.Actor{koodrive.Operator, o.Admin} {
			app := mustCreateApp(t, db, "target")
			for _, c := range calls {
				if err := c.call(db.Apps, a, app.AppID); err != nil {
					t.Errorf("%s as %s: %v", c.name, a.UserID, err)
				}
			}
		}
	})

	t.Run("ErrForbidden", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		actors := map[string]koodrive.Actor{
			"DeptAdminOfRoot": MustUserActor(t, db, tr.Admin, "rootadmin", tr.Root.ID, koodrive.RoleDeptAdmin),
			"DeptAdmin":       MustUserActor(t, db, tr.Admin, "deptadmin", tr.EMEA.ID, koodrive.RoleDeptAdmin),
			"MemberManager":   MustUserActor(t, db, tr.Admin, "manager", tr.Root.ID, koodrive.RoleMemberManager),
			"DriveAdmin":      MustUserActor(t, db, tr.Admin, "driveadmin", tr.Root.ID, koodrive.RoleDriveAdmin),
			"User":            MustUserActor(t, db, tr.Admin, "user", tr.Eng.ID, koodrive.RoleUser),
			"Unknown role":    {UserID: "odd", Role: 4},
		}
		app := mustCreateApp(t, db, "target")
		for name, a := range actors {
			for _, c := range calls {
				err := c.call(db.Apps, a, app.AppID)
				if got, want := koodrive.ErrorKind(err), koodrive.EFORBIDDEN; got != want {
					t.Errorf("%s as %s: error kind = %q, want %q (err: %v)", c.name, name, got, want, err)
				}
			}
			// Refused before looking anything up: an unknown app is no different.
			for _, c := range calls {
				err := c.call(db.Apps, a, "nope")
				if got, want := koodrive.ErrorKind(err), koodrive.EFORBIDDEN; got != want {
					t.Errorf("%s of an unknown app as %s: error kind = %q, want %q (err: %v)", c.name, name, got, want, err)
				}
			}
		}
		// Nothing changed.
		apps := mustFindApps(t, db)
		if len(apps) != 1 || apps[0].AppID != app.AppID {
			t.Fatalf("apps = %v, want only %s", appIDs(apps), app.AppID)
		}
		if got, want := *mustAppKeys(t, db.Apps, app.AppID), (koodrive.AppKeys{Current: app.Secret}); got != want {
			t.Errorf("AppKeys = %+v, want %+v (unchanged)", got, want)
		}
	})

	// Authorization comes before validation: a caller without the right
	// learns nothing about its arguments.
	t.Run("ErrForbiddenInvalidArgs", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		user := MustUserActor(t, db, o.Admin, "user", o.Root.ID, koodrive.RoleUser)
		app := mustCreateApp(t, db, "target")
		_, err := db.Apps.CreateApp(ctx, user, "")
		assertKind(t, err, koodrive.EFORBIDDEN)
		_, err = db.Apps.RotateAppSecret(ctx, user, app.AppID, -1)
		assertKind(t, err, koodrive.EFORBIDDEN)
		assertKind(t, db.Apps.SetAppStatus(ctx, user, app.AppID, 9), koodrive.EFORBIDDEN)
	})
}

func mustCreateApp(tb testing.TB, db *DB, name string) *koodrive.App {
	tb.Helper()
	a, err := db.Apps.CreateApp(context.Background(), koodrive.Operator, name)
	if err != nil {
		tb.Fatalf("create app %q: %v", name, err)
	}
	return a
}

func mustFindApps(tb testing.TB, db *DB) []*koodrive.App {
	tb.Helper()
	apps, err := db.Apps.FindApps(context.Background(), koodrive.Operator)
	if err != nil {
		tb.Fatalf("find apps: %v", err)
	}
	return apps
}

// mustFindApp returns the app appID as FindApps lists it.
func mustFindApp(tb testing.TB, db *DB, appID string) *koodrive.App {
	tb.Helper()
	for _, a := range mustFindApps(tb, db) {
		if a.AppID == appID {
			return a
		}
	}
	tb.Fatalf("app %s not listed", appID)
	return nil
}

func mustAppKeys(tb testing.TB, s koodrive.AppService, appID string) *koodrive.AppKeys {
	tb.Helper()
	keys, err := s.AppKeys(context.Background(), appID)
	if err != nil {
		tb.Fatalf("app keys of %s: %v", appID, err)
	}
	return keys
}

func appIDs(apps []*koodrive.App) []string {
	var ids []string
	for _, a := range apps {
		ids = append(ids, a.AppID)
	}
	return ids
}
