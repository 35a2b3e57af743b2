package httpapi

// routes is the whole API surface. Endpoints whose KooDrive documentation
// lists the app-authentication headers (X-User-Id, X-Date, Host) take app
// authentication as well as a session token; pre-verification, sessions and
// koodrive's own app management take a session token only.
func (s *Server) routes() {
	const v1 = "/koodrive/ose/v1"
	const admin = "/koodrive/admin/v1"
	small, large := s.cfg.MaxBodyBytes, s.cfg.MaxImportBodyBytes

	s.mux.Handle("GET /healthz", s.public(s.health))

	s.mux.Handle("POST "+v1+"/users", s.tokenOrApp(small, s.createUser))
	s.mux.Handle("POST "+v1+"/users/batchimport/preverify", s.tokenOnly(large, s.preverifyImport))
	s.mux.Handle("GET "+v1+"/users/count", s.tokenOrApp(small, s.countUsers))
	s.mux.Handle("GET "+v1+"/users/{userId}", s.tokenOrApp(small, s.getUser))
	s.mux.Handle("GET "+v1+"/userList", s.tokenOrApp(small, s.listUsers))

	s.mux.Handle("POST "+v1+"/departments", s.tokenOrApp(small, s.createDepartment))
	s.mux.Handle("GET "+v1+"/departments/{departmentId}", s.tokenOrApp(small, s.getDepartment))
	s.mux.Handle("GET "+v1+"/departmentList", s.tokenOrApp(small, s.listDepartments))

	s.mux.Handle("POST "+v1+"/session/{$}", s.public(s.createSession))
	s.mux.Handle("POST "+v1+"/session", s.public(s.createSession))
	s.mux.Handle("POST "+v1+"/session/refresh", s.tokenOnly(small, s.refreshSession))
	s.mux.Handle("GET "+v1+"/session/auth", s.tokenOnly(small, s.validateSession))
	s.mux.Handle("GET "+v1+"/session/logoff", s.public(s.logoff))

	s.mux.Handle("GET "+admin+"/apps", s.tokenOnly(small, s.listApps))
	s.mux.Handle("POST "+admin+"/apps", s.tokenOnly(small, s.createApp))
	s.mux.Handle("PUT "+admin+"/apps/{appId}", s.tokenOnly(small, s.updateApp))
	s.mux.Handle("DELETE "+admin+"/apps/{appId}", s.tokenOnly(small, s.deleteApp))
	s.mux.Handle("POST "+admin+"/apps/{appId}/secret", s.tokenOnly(small, s.rotateAppSecret))
}
