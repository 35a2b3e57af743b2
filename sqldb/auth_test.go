package sqldb_test

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/koodrive/koodrive"
)

func TestAuthService_CreateSession(t *testing.T) { eachBackend(t, testAuthService_CreateSession) }

func testAuthService_CreateSession(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		u := MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "Alice", Role: new(koodrive.RoleUser)})
		a, err := db.Auth.CreateSession(ctx, "alice") // the userId ignoring case
		if err != nil {
			t.Fatal(err)
		}
		b, err := db.Auth.CreateSession(ctx, "ALICE")
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []*koodrive.Session{a, b} {
			if !isHexLen(s.Token, 48) {
				t.Errorf("Token = %q, want 48 hex digits", s.Token)
			}
			if !isHexLen(s.ID, 48) {
				t.Errorf("ID = %q, want 48 hex digits", s.ID)
			}
			if s.ID == s.Token {
				t.Errorf("ID = Token = %q, want two different values", s.ID)
			}
			if got, want := s.UserID, u.ID; got != want {
				t.Errorf("UserID = %d, want %d", got, want)
			}
		}
		if a.Token == b.Token || a.ID == b.ID {
			t.Fatalf("sessions %+v and %+v, want two different ones", *a, *b)
		}
		for _, s := range []*koodrive.Session{a, b} {
			actor, err := db.Auth.Authenticate(ctx, s.Token)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := actor.UserID, "Alice"; got != want {
				t.Errorf("UserID = %q, want %q", got, want)
			}
			// The session ID names the session; it authenticates nothing.
			_, err = db.Auth.Authenticate(ctx, s.ID)
			assertKind(t, err, koodrive.EUNAUTHENTICATED)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		MustInitOrg(t, db)
		for _, id := range []string{"nobody", ""} {
			sess, err := db.Auth.CreateSession(ctx, id)
			assertKind(t, err, koodrive.ENOTFOUND)
			if sess != nil {
				t.Errorf("session = %+v, want nil", *sess)
			}
		}
	})

	// Only a hash of the token is stored; the session ID is stored as is.
	t.Run("OKStored", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		var sessions []*koodrive.Session
		for range 3 {
			s := MustSession(t, db, "admin")
			if _, err := db.Auth.Authenticate(ctx, s.Token); err != nil {
				t.Fatal(err)
			}
			sessions = append(sessions, s)
		}
		rows := mustQueryAll(t, db.MustRawReadOnly(t), `SELECT token_hash, session_id, user_id FROM sessions`)
		if got, want := len(rows), len(sessions); got != want {
			t.Fatalf("%d sessions stored, want %d", got, want)
		}
		stored := map[string][]string{} // by session_id
		for _, r := range rows {
			stored[r[1]] = r
		}
		for _, s := range sessions {
			r, ok := stored[s.ID]
			if !ok {
				t.Errorf("session_id %q not stored", s.ID)
				continue
			}
			if got, want := r[2], o.Admin.ID.String(); got != want {
				t.Errorf("user_id = %s, want %s", got, want)
			}
			for _, h := range []string{r[0], r[1]} {
				if strings.Contains(strings.ToLower(h), s.Token) {
					t.Errorf("sessions holds the token %q itself (%q)", s.Token, h)
				}
			}
			if r[0] == s.ID {
				t.Errorf("token_hash = session_id = %q, want a hash of the token", r[0])
			}
		}
	})
}

func TestAuthService_Authenticate(t *testing.T) { eachBackend(t, testAuthService_Authenticate) }

func testAuthService_Authenticate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		u := MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{UserID: "ann", DeptID: tr.EMEA.ID, Role: new(koodrive.RoleDeptAdmin)})
		a := MustActor(t, db, "ann")
		want := koodrive.Actor{ID: u.ID, UserID: "ann", Role: koodrive.RoleDeptAdmin, DeptID: tr.EMEA.ID, DeptPath: tr.EMEA.Path}
		if a != want {
			t.Errorf("Actor = %+v, want %+v", a, want)
		}
		// The admin's session gives the Actor the tests build from the store.
		if got, want := MustActor(t, db, "admin"), tr.Admin; got != want {
			t.Errorf("admin Actor = %+v, want %+v", got, want)
		}
	})

	t.Run("Activates", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		u := MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "ann", Role: new(koodrive.RoleUser)})
		sess := MustSession(t, db, "ann")
		// Issuing a token is not using it.
		if got, want := mustStatus(t, db, o.Admin, u.ID), koodrive.StatusNotActivated; got != want {
			t.Fatalf("Status after CreateSession = %d, want %d", got, want)
		}
		db.Clock.Advance(time.Minute)
		if _, err := db.Auth.Authenticate(ctx, sess.Token); err != nil {
			t.Fatal(err)
		}
		if got, want := mustStatus(t, db, o.Admin, u.ID), koodrive.StatusEnabled; got != want {
			t.Fatalf("Status after Authenticate = %d, want %d", got, want)
		}
		if _, err := db.Auth.Authenticate(ctx, sess.Token); err != nil {
			t.Fatal(err)
		}
		if got, want := mustStatus(t, db, o.Admin, u.ID), koodrive.StatusEnabled; got != want {
			t.Fatalf("Status after a second Authenticate = %d, want %d", got, want)
		}
	})

	t.Run("SlidingExpiry", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "ann", Role: new(koodrive.RoleUser)})
		sess := MustSession(t, db, "ann")
		auth := func() error {
			_, err := db.Auth.Authenticate(ctx, sess.Token)
			return err
		}
		if err := auth(); err != nil {
			t.Fatalf("at t0: %v", err)
		}
		db.Clock.Advance(19 * time.Minute)
		if err := auth(); err != nil {
			t.Fatalf("at t0+19m: %v", err)
		}
		db.Clock.Advance(19 * time.Minute)
		if err := auth(); err != nil {
			t.Fatalf("at t0+38m, 19 minutes after the last use: %v", err)
		}
		db.Clock.Advance(21 * time.Minute)
		assertKind(t, auth(), koodrive.EUNAUTHENTICATED)
		// Expired stays expired.
		db.Clock.Advance(time.Second)
		assertKind(t, auth(), koodrive.EUNAUTHENTICATED)
	})

	t.Run("ErrExpiredUnused", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		u := MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "ann", Role: new(koodrive.RoleUser)})
		sess := MustSession(t, db, "ann")
		db.Clock.Advance(21 * time.Minute)
		_, err := db.Auth.Authenticate(ctx, sess.Token)
		assertKind(t, err, koodrive.EUNAUTHENTICATED)
		if got, want := mustStatus(t, db, o.Admin, u.ID), koodrive.StatusNotActivated; got != want {
			t.Errorf("Status = %d, want %d (an expired token activates nobody)", got, want)
		}
	})

	t.Run("ErrUnknownToken", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		MustInitOrg(t, db)
		token := MustSession(t, db, "admin").Token
		for _, bad := range []string{"", "nope", strings.ToUpper(token), token + "0", token[1:]} {
			a, err := db.Auth.Authenticate(ctx, bad)
			assertKind(t, err, koodrive.EUNAUTHENTICATED)
			if a != nil {
				t.Errorf("token %q: actor %+v, want nil", bad, a)
			}
		}
	})

	// No service disables users yet, so the test does it in the file. A
	// disabled user's sessions stop at once, not when they expire.
	t.Run("ErrDisabled", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		u := MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "ann", Role: new(koodrive.RoleUser)})
		a, b := MustSession(t, db, "ann"), MustSession(t, db, "ann")
		for _, s := range []*koodrive.Session{a, b} {
			if _, err := db.Auth.Authenticate(ctx, s.Token); err != nil {
				t.Fatal(err)
			}
		}
		mustSetUserStatus(t, db, u.ID, koodrive.StatusDisabled)
		for _, s := range []*koodrive.Session{a, b} {
			actor, err := db.Auth.Authenticate(ctx, s.Token)
			assertKind(t, err, koodrive.EUNAUTHENTICATED)
			if actor != nil {
				t.Errorf("actor = %+v, want nil", *actor)
			}
		}
		_, err := db.Auth.CreateSession(ctx, "ann")
		assertKind(t, err, koodrive.EFORBIDDEN)
		if got, want := mustStatus(t, db, o.Admin, u.ID), koodrive.StatusDisabled; got != want {
			t.Errorf("Status = %d, want %d", got, want)
		}
	})

	t.Run("ErrDisabledNotActivated", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		u := MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "ann", Role: new(koodrive.RoleUser)})
		sess := MustSession(t, db, "ann")
		mustSetUserStatus(t, db, u.ID, koodrive.StatusDisabled)
		_, err := db.Auth.Authenticate(ctx, sess.Token)
		assertKind(t, err, koodrive.EUNAUTHENTICATED)
		if got, want := mustStatus(t, db, o.Admin, u.ID), koodrive.StatusDisabled; got != want {
			t.Errorf("Status = %d, want %d (Authenticate must not activate a disabled user)", got, want)
		}
	})

	// Deleting a user deletes its sessions with it (ON DELETE CASCADE).
	t.Run("ErrDeletedUser", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		u := MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "ann", Role: new(koodrive.RoleUser)})
		a, b := MustSession(t, db, "ann"), MustSession(t, db, "ann")
		if _, err := db.Auth.Authenticate(ctx, a.Token); err != nil {
			t.Fatal(err)
		}
		adminSess := MustSession(t, db, "admin")
		mustDeleteUser(t, db, u.ID)
		for _, s := range []*koodrive.Session{a, b} {
			actor, err := db.Auth.Authenticate(ctx, s.Token)
			assertKind(t, err, koodrive.EUNAUTHENTICATED)
			if actor != nil {
				t.Errorf("actor = %+v, want nil", *actor)
			}
		}
		raw := db.MustRawReadOnly(t)
		if got, want := mustCount(t, raw, `SELECT count(*) FROM sessions WHERE user_id = $1`, int64(u.ID)), 0; got != want {
			t.Errorf("%d sessions of the deleted user stored, want %d", got, want)
		}
		if _, err := db.Auth.Authenticate(ctx, adminSess.Token); err != nil {
			t.Errorf("another user's session: %v", err)
		}
	})
}

func TestAuthService_RefreshSession(t *testing.T) { eachBackend(t, testAuthService_RefreshSession) }

func testAuthService_RefreshSession(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		u := MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "ann", Role: new(koodrive.RoleUser)})
		sess := MustSession(t, db, "ann")
		db.Clock.Advance(15 * time.Minute)
		got, err := db.Auth.RefreshSession(ctx, sess.Token, sess.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != sess.ID {
			t.Errorf("ID = %q, want %q (unchanged)", got.ID, sess.ID)
		}
		if !isHexLen(got.Token, 48) || got.Token == sess.Token || got.Token == sess.ID {
			t.Errorf("Token = %q, want 48 new hex digits (old %q)", got.Token, sess.Token)
		}
		if got, want := got.UserID, u.ID; got != want {
			t.Errorf("UserID = %d, want %d", got, want)
		}
		_, err = db.Auth.Authenticate(ctx, sess.Token)
		assertKind(t, err, koodrive.EUNAUTHENTICATED)
		a, err := db.Auth.Authenticate(ctx, got.Token)
		if err != nil {
			t.Fatalf("new token: %v", err)
		}
		if got, want := a.UserID, "ann"; got != want {
			t.Errorf("actor UserID = %q, want %q", got, want)
		}
		// The old token refreshes nothing any more.
		_, err = db.Auth.RefreshSession(ctx, sess.Token, sess.ID)
		assertKind(t, err, koodrive.EUNAUTHENTICATED)
		// The refreshed session lives on past the original's expiry.
		db.Clock.Advance(19 * time.Minute)
		if _, err := db.Auth.Authenticate(ctx, got.Token); err != nil {
			t.Errorf("new token 34 minutes after the session began, 19 after its refresh: %v", err)
		}
		// And refreshes again under the same ID.
		again, err := db.Auth.RefreshSession(ctx, got.Token, sess.ID)
		if err != nil {
			t.Fatal(err)
		}
		if again.ID != sess.ID || again.Token == got.Token {
			t.Errorf("second refresh = %+v, want ID %q and a new token", *again, sess.ID)
		}
	})

	t.Run("ErrWrongSessionID", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		MustInitOrg(t, db)
		sess := MustSession(t, db, "admin")
		for _, id := range []string{"", "nope", strings.ToUpper(sess.ID), sess.ID + "0", sess.Token} {
			got, err := db.Auth.RefreshSession(ctx, sess.Token, id)
			assertKind(t, err, koodrive.EUNAUTHENTICATED)
			if got != nil {
				t.Errorf("session ID %q: session %+v, want nil", id, *got)
			}
		}
		// A failed refresh leaves the session as it was.
		if _, err := db.Auth.Authenticate(ctx, sess.Token); err != nil {
			t.Errorf("token after failed refreshes: %v", err)
		}
	})

	t.Run("ErrOtherSession", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "ann", Role: new(koodrive.RoleUser)})
		mine, mine2, other := MustSession(t, db, "admin"), MustSession(t, db, "admin"), MustSession(t, db, "ann")
		for _, s := range []*koodrive.Session{mine2, other} {
			_, err := db.Auth.RefreshSession(ctx, mine.Token, s.ID)
			assertKind(t, err, koodrive.EUNAUTHENTICATED)
		}
		for _, s := range []*koodrive.Session{mine, mine2, other} {
			if _, err := db.Auth.Authenticate(ctx, s.Token); err != nil {
				t.Errorf("token after a failed refresh: %v", err)
			}
		}
	})

	t.Run("ErrUnknownToken", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		MustInitOrg(t, db)
		sess := MustSession(t, db, "admin")
		for _, token := range []string{"", "nope", sess.ID} {
			_, err := db.Auth.RefreshSession(ctx, token, sess.ID)
			assertKind(t, err, koodrive.EUNAUTHENTICATED)
		}
	})

	t.Run("ErrExpired", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		MustInitOrg(t, db)
		sess := MustSession(t, db, "admin")
		db.Clock.Advance(21 * time.Minute)
		got, err := db.Auth.RefreshSession(ctx, sess.Token, sess.ID)
		assertKind(t, err, koodrive.EUNAUTHENTICATED)
		if got != nil {
			t.Errorf("session = %+v, want nil", *got)
		}
		_, err = db.Auth.Authenticate(ctx, sess.Token)
		assertKind(t, err, koodrive.EUNAUTHENTICATED)
	})

	t.Run("ErrDisabled", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		u := MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "ann", Role: new(koodrive.RoleUser)})
		sess := MustSession(t, db, "ann")
		mustSetUserStatus(t, db, u.ID, koodrive.StatusDisabled)
		_, err := db.Auth.RefreshSession(ctx, sess.Token, sess.ID)
		assertKind(t, err, koodrive.EUNAUTHENTICATED)
	})
}

func TestAuthService_EndSession(t *testing.T) { eachBackend(t, testAuthService_EndSession) }

func testAuthService_EndSession(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		MustInitOrg(t, db)
		a, b := MustSession(t, db, "admin"), MustSession(t, db, "admin")
		if err := db.Auth.EndSession(ctx, a.Token); err != nil {
			t.Fatal(err)
		}
		_, err := db.Auth.Authenticate(ctx, a.Token)
		assertKind(t, err, koodrive.EUNAUTHENTICATED)
		_, err = db.Auth.RefreshSession(ctx, a.Token, a.ID)
		assertKind(t, err, koodrive.EUNAUTHENTICATED)
		if _, err := db.Auth.Authenticate(ctx, b.Token); err != nil {
			t.Errorf("the user's other session: %v", err)
		}
		// Ending it again is not an error.
		if err := db.Auth.EndSession(ctx, a.Token); err != nil {
			t.Errorf("ending an ended session: err = %v, want nil", err)
		}
	})

	t.Run("OKUnknownToken", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		MustInitOrg(t, db)
		sess := MustSession(t, db, "admin")
		for _, token := range []string{"", "nope", sess.ID} {
			if err := db.Auth.EndSession(ctx, token); err != nil {
				t.Errorf("EndSession(%q) = %v, want nil", token, err)
			}
		}
		if _, err := db.Auth.Authenticate(ctx, sess.Token); err != nil {
			t.Errorf("a session ID ended the session: %v", err)
		}
	})
}

func TestAuthService_CreateLoginCode(t *testing.T) { eachBackend(t, testAuthService_CreateLoginCode) }

func testAuthService_CreateLoginCode(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "Ann", Role: new(koodrive.RoleUser)})
		a, err := db.Auth.CreateLoginCode(ctx, "ann")
		if err != nil {
			t.Fatal(err)
		}
		b, err := db.Auth.CreateLoginCode(ctx, "ANN")
		if err != nil {
			t.Fatal(err)
		}
		if a == "" || a == b {
			t.Fatalf("codes %q and %q, want two different ones", a, b)
		}
		// A code is not a token.
		_, err = db.Auth.Authenticate(ctx, a)
		assertKind(t, err, koodrive.EUNAUTHENTICATED)
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		MustInitOrg(t, db)
		for _, id := range []string{"nobody", ""} {
			code, err := db.Auth.CreateLoginCode(ctx, id)
			assertKind(t, err, koodrive.ENOTFOUND)
			if code != "" {
				t.Errorf("code = %q, want none", code)
			}
		}
	})

	t.Run("ErrDisabled", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		u := MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "ann", Role: new(koodrive.RoleUser)})
		mustSetUserStatus(t, db, u.ID, koodrive.StatusDisabled)
		code, err := db.Auth.CreateLoginCode(ctx, "ann")
		assertKind(t, err, koodrive.EFORBIDDEN)
		if code != "" {
			t.Errorf("code = %q, want none", code)
		}
	})

	t.Run("OKStoredHashed", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		MustInitOrg(t, db)
		var codes []string
		for range 3 {
			code, err := db.Auth.CreateLoginCode(ctx, "admin")
			if err != nil {
				t.Fatal(err)
			}
			codes = append(codes, code)
		}
		rows := mustQueryAll(t, db.MustRawReadOnly(t), `SELECT * FROM login_codes`)
		if got, want := len(rows), len(codes); got != want {
			t.Fatalf("%d login codes stored, want %d", got, want)
		}
		for _, r := range rows {
			for _, v := range r {
				for _, code := range codes {
					if v == code || strings.Contains(strings.ToLower(v), strings.ToLower(code)) {
						t.Errorf("login_codes holds the code %q itself (%q)", code, v)
					}
				}
			}
		}
	})
}

func TestAuthService_ExchangeLoginCode(t *testing.T) {
	eachBackend(t, testAuthService_ExchangeLoginCode)
}

func testAuthService_ExchangeLoginCode(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		u := MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{UserID: "ann", DeptID: tr.EMEA.ID, Role: new(koodrive.RoleMemberManager)})
		code := mustLoginCode(t, db, "ann")
		db.Clock.Advance(koodrive.LoginCodeTTL - time.Second)
		sess, err := db.Auth.ExchangeLoginCode(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		if !isHexLen(sess.Token, 48) || !isHexLen(sess.ID, 48) || sess.Token == sess.ID {
			t.Errorf("session = %+v, want a 48-hex Token and a different 48-hex ID", *sess)
		}
		if got, want := sess.UserID, u.ID; got != want {
			t.Errorf("UserID = %d, want %d", got, want)
		}
		a, err := db.Auth.Authenticate(ctx, sess.Token)
		if err != nil {
			t.Fatal(err)
		}
		want := koodrive.Actor{ID: u.ID, UserID: "ann", Role: koodrive.RoleMemberManager, DeptID: tr.EMEA.ID, DeptPath: tr.EMEA.Path}
		if *a != want {
			t.Errorf("Actor = %+v, want %+v", *a, want)
		}
		if _, err := db.Auth.RefreshSession(ctx, sess.Token, sess.ID); err != nil {
			t.Errorf("refresh the exchanged session: %v", err)
		}
	})

	t.Run("ErrUsed", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		MustInitOrg(t, db)
		code := mustLoginCode(t, db, "admin")
		first, err := db.Auth.ExchangeLoginCode(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		sess, err := db.Auth.ExchangeLoginCode(ctx, code)
		assertKind(t, err, koodrive.EUNAUTHENTICATED)
		if sess != nil {
			t.Errorf("session = %+v, want nil", *sess)
		}
		if _, err := db.Auth.Authenticate(ctx, first.Token); err != nil {
			t.Errorf("the first exchange's session: %v", err)
		}
	})

	t.Run("ErrUsedConcurrently", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		MustInitOrg(t, db)
		code := mustLoginCode(t, db, "admin")
		errs := make([]error, 10)
		var wg sync.WaitGroup
		for i := range errs {
			wg.Go(func() {
				_, errs[i] = db.Auth.ExchangeLoginCode(ctx, code)
			})
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch koodrive.ErrorKind(err) {
			case "":
				ok++
			case koodrive.EUNAUTHENTICATED:
			default:
				t.Errorf("err = %v, want nil or EUNAUTHENTICATED", err)
			}
		}
		if got, want := ok, 1; got != want {
			t.Errorf("%d exchanges succeeded, want %d", got, want)
		}
	})

	t.Run("ErrExpired", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		MustInitOrg(t, db)
		code := mustLoginCode(t, db, "admin")
		db.Clock.Advance(koodrive.LoginCodeTTL + time.Second)
		sess, err := db.Auth.ExchangeLoginCode(ctx, code)
		assertKind(t, err, koodrive.EUNAUTHENTICATED)
		if sess != nil {
			t.Errorf("session = %+v, want nil", *sess)
		}
	})

	t.Run("ErrUnknownCode", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		MustInitOrg(t, db)
		code := mustLoginCode(t, db, "admin")
		token := MustSession(t, db, "admin").Token
		for _, bad := range []string{"", "nope", strings.ToUpper(code), code + "0", code[1:], token} {
			_, err := db.Auth.ExchangeLoginCode(ctx, bad)
			assertKind(t, err, koodrive.EUNAUTHENTICATED)
		}
		// The right code still works.
		if _, err := db.Auth.ExchangeLoginCode(ctx, code); err != nil {
			t.Errorf("the code after wrong ones: %v", err)
		}
	})

	t.Run("ErrDisabled", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		u := MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "ann", Role: new(koodrive.RoleUser)})
		code := mustLoginCode(t, db, "ann")
		mustSetUserStatus(t, db, u.ID, koodrive.StatusDisabled)
		sess, err := db.Auth.ExchangeLoginCode(ctx, code)
		assertKind(t, err, koodrive.EUNAUTHENTICATED)
		if sess != nil {
			t.Errorf("session = %+v, want nil", *sess)
		}
		raw := db.MustRawReadOnly(t)
		if got, want := mustCount(t, raw, `SELECT count(*) FROM sessions WHERE user_id = $1`, int64(u.ID)), 0; got != want {
			t.Errorf("%d sessions stored for the disabled user, want %d", got, want)
		}
	})

	t.Run("ErrDeletedUser", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		u := MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "ann", Role: new(koodrive.RoleUser)})
		code := mustLoginCode(t, db, "ann")
		mustDeleteUser(t, db, u.ID)
		_, err := db.Auth.ExchangeLoginCode(ctx, code)
		assertKind(t, err, koodrive.EUNAUTHENTICATED)
	})
}

func TestAuthService_FindActor(t *testing.T) { eachBackend(t, testAuthService_FindActor) }

func testAuthService_FindActor(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		for _, tt := range []struct {
			userID string
			dept   *koodrive.Department
			role   koodrive.Role
		}{
			{"ann", tr.EMEA, koodrive.RoleDeptAdmin},
			{"bob", tr.Eng, koodrive.RoleUser},
			{"cid", tr.Root, koodrive.RoleDriveAdmin},
			{"dee", tr.Sales, koodrive.RoleMemberManager},
		} {
			// Not signed in yet: a user an app acts for need not be activated.
			u := MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{UserID: tt.userID, DeptID: tt.dept.ID, Role: &tt.role})
			got, err := db.Auth.FindActor(ctx, u.ID)
			if err != nil {
				t.Fatalf("%s: %v", tt.userID, err)
			}
			want := koodrive.Actor{ID: u.ID, UserID: tt.userID, Role: tt.role, DeptID: tt.dept.ID, DeptPath: tt.dept.Path}
			if *got != want {
				t.Errorf("Actor = %+v, want %+v", *got, want)
			}
		}
		got, err := db.Auth.FindActor(ctx, tr.Admin.ID)
		if err != nil {
			t.Fatal(err)
		}
		if *got != tr.Admin {
			t.Errorf("admin Actor = %+v, want %+v", *got, tr.Admin)
		}
	})

	t.Run("ErrUnknown", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		for _, id := range []koodrive.ID{0, -1, o.Admin.ID + 1_000_000, o.Root.ID} {
			a, err := db.Auth.FindActor(ctx, id)
			assertKind(t, err, koodrive.EUNAUTHENTICATED)
			if a != nil {
				t.Errorf("id %d: actor %+v, want nil", id, *a)
			}
		}
	})

	t.Run("ErrDisabled", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		for _, status := range []koodrive.Status{koodrive.StatusDisabled, koodrive.StatusFrozen} {
			u := MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: fmt.Sprintf("u%d", status)})
			mustSetUserStatus(t, db, u.ID, status)
			a, err := db.Auth.FindActor(ctx, u.ID)
			assertKind(t, err, koodrive.EUNAUTHENTICATED)
			if a != nil {
				t.Errorf("status %d: actor %+v, want nil", status, *a)
			}
		}
	})
}

func TestAuthService_RememberSignature(t *testing.T) {
	eachBackend(t, testAuthService_RememberSignature)
}

func testAuthService_RememberSignature(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		until := t0.Add(5 * time.Minute)
		if err := db.Auth.RememberSignature(ctx, "sig-a", until); err != nil {
			t.Fatalf("first: %v", err)
		}
		if err := db.Auth.RememberSignature(ctx, "sig-b", until); err != nil {
			t.Fatalf("another signature: %v", err)
		}
		if err := db.Auth.RememberSignature(ctx, "SIG-A", until); err != nil {
			t.Fatalf("a signature differing in case: %v", err)
		}
	})

	t.Run("ErrReplay", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		until := t0.Add(5 * time.Minute)
		if err := db.Auth.RememberSignature(ctx, "sig-a", until); err != nil {
			t.Fatal(err)
		}
		for _, u := range []time.Time{until, until.Add(time.Hour), t0} {
			assertKind(t, db.Auth.RememberSignature(ctx, "sig-a", u), koodrive.EUNAUTHENTICATED)
		}
		db.Clock.Advance(time.Minute)
		assertKind(t, db.Auth.RememberSignature(ctx, "sig-a", until), koodrive.EUNAUTHENTICATED)
	})

	t.Run("OKPrune", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		if err := db.Auth.RememberSignature(ctx, "short", t0.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if err := db.Auth.RememberSignature(ctx, "long", t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		raw := db.MustRawReadOnly(t)
		stored := func() string {
			var sigs []string
			for _, r := range mustQueryAll(t, raw, `SELECT signature FROM replay_guard ORDER BY signature`) {
				sigs = append(sigs, r[0])
			}
			return strings.Join(sigs, ",")
		}
		if got, want := stored(), "long,short"; got != want {
			t.Fatalf("replay_guard before expiry = %s, want %s", got, want)
		}
		// Past "short"'s expiry by more than the prune interval.
		db.Clock.Advance(time.Minute + time.Minute + time.Second)
		if got, want := stored(), "long,short"; got != want {
			t.Fatalf("replay_guard before the next call = %s, want %s (pruning happens on a call)", got, want)
		}
		if err := db.Auth.RememberSignature(ctx, "next", t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if got, want := stored(), "long,next"; got != want {
			t.Errorf("replay_guard after pruning = %s, want %s", got, want)
		}
		assertKind(t, db.Auth.RememberSignature(ctx, "long", t0.Add(time.Hour)), koodrive.EUNAUTHENTICATED)
	})

	t.Run("ErrReplayConcurrent", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		until := t0.Add(5 * time.Minute)
		errs := make([]error, 20)
		var wg sync.WaitGroup
		for i := range errs {
			wg.Go(func() {
				errs[i] = db.Auth.RememberSignature(ctx, "sig", until)
			})
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch koodrive.ErrorKind(err) {
			case "":
				ok++
			case koodrive.EUNAUTHENTICATED:
			default:
				t.Errorf("err = %v, want nil or EUNAUTHENTICATED", err)
			}
		}
		if got, want := ok, 1; got != want {
			t.Errorf("%d of %d calls succeeded, want %d", got, len(errs), want)
		}
	})
}

// mustStatus returns the user's status as an administrator sees it.
func mustStatus(tb testing.TB, db *DB, admin koodrive.Actor, id koodrive.ID) koodrive.Status {
	tb.Helper()
	u, err := db.Users.FindUserByID(context.Background(), admin, id)
	if err != nil {
		tb.Fatalf("find user %d: %v", id, err)
	}
	return u.Status
}

// mustLoginCode issues a login code for userID.
func mustLoginCode(tb testing.TB, db *DB, userID string) string {
	tb.Helper()
	code, err := db.Auth.CreateLoginCode(context.Background(), userID)
	if err != nil {
		tb.Fatalf("create login code for %q: %v", userID, err)
	}
	return code
}

// mustSetUserStatus sets a user's status in the file: no service disables
// users yet.
func mustSetUserStatus(tb testing.TB, db *DB, id koodrive.ID, status koodrive.Status) {
	tb.Helper()
	res, err := db.MustRaw(tb).ExecContext(context.Background(), `UPDATE users SET status = $1 WHERE id = $2`, int(status), int64(id))
	if err != nil {
		tb.Fatalf("set status of user %d: %v", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		tb.Fatalf("set status of user %d: %d rows changed (%v), want 1", id, n, err)
	}
}

// mustDeleteUser deletes a user row in the file, keeping the organization's
// user count right: no service deletes users yet.
func mustDeleteUser(tb testing.TB, db *DB, id koodrive.ID) {
	tb.Helper()
	ctx := context.Background()
	tx, err := db.MustRaw(tb).BeginTx(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `DELETE FROM users WHERE id = $1`, int64(id))
	if err != nil {
		tb.Fatalf("delete user %d: %v", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		tb.Fatalf("delete user %d: %d rows deleted (%v), want 1", id, n, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE organizations SET user_count = user_count - 1`); err != nil {
		tb.Fatalf("delete user %d: %v", id, err)
	}
	if err := tx.Commit(); err != nil {
		tb.Fatalf("delete user %d: %v", id, err)
	}
}

// mustQueryAll runs query on raw and returns every column of every row as
// text (NULL as "").
func mustQueryAll(tb testing.TB, raw *sql.DB, query string, args ...any) [][]string {
	tb.Helper()
	rows, err := raw.QueryContext(context.Background(), query, args...)
	if err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		tb.Fatal(err)
	}
	var out [][]string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			tb.Fatal(err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			switch v := v.(type) {
			case nil:
			case []byte:
				row[i] = string(v)
			default:
				row[i] = fmt.Sprint(v)
			}
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// mustCount runs a SELECT count(*) query on raw.
func mustCount(tb testing.TB, raw *sql.DB, query string, args ...any) int {
	tb.Helper()
	var n int
	if err := raw.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
	return n
}

// isHexLen reports whether s is n lower-case hex digits.
func isHexLen(s string, n int) bool {
	return len(s) == n && isLowerHex(s)
}

func isLowerHex(s string) bool {
	_, err := hex.DecodeString(s)
	return err == nil && strings.ToLower(s) == s
}
