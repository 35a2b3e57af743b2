package httpapi

// routes is the whole API surface.
func (s *Server) routes() {
	const v1 = "/koodrive/ose/v1"
	small, large := s.cfg.MaxBodyBytes, s.cfg.MaxImportBodyBytes

	s.mux.Handle("GET /healthz", s.public(s.health))

	s.mux.Handle("POST "+v1+"/users", s.authed(small, s.createUser))
	s.mux.Handle("POST "+v1+"/users/batchimport/preverify", s.authed(large, s.preverifyImport))
	s.mux.Handle("GET "+v1+"/users/count", s.authed(small, s.countUsers))
	s.mux.Handle("GET "+v1+"/users/{userId}", s.authed(small, s.getUser))
	s.mux.Handle("GET "+v1+"/userList", s.authed(small, s.listUsers))

	s.mux.Handle("POST "+v1+"/departments", s.authed(small, s.createDepartment))
	s.mux.Handle("GET "+v1+"/departments/{departmentId}", s.authed(small, s.getDepartment))
	s.mux.Handle("GET "+v1+"/departmentList", s.authed(small, s.listDepartments))
}
