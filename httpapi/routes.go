package httpapi

// routes is the whole API surface. KooDrive's administration endpoints for
// users, departments, spaces, usage and the audit log take app
// authentication as well as a session token: KooDrive lists the
// app-authentication headers (X-User-Id, X-Date, Host) on them, and an
// integration that provisions users goes on to allocate their spaces. So
// does koodrive's usage report, because the storage service that sends it
// is a machine, which has an app and no session. Pre-verification and
// sessions (whose pages list no such headers) and koodrive's own
// administration (apps, organization settings) take a session token only.
//
// ServeMux prefers the more specific pattern, so the literal
// /space/userList and /space/departmentList win over /space/{ownerId}, and
// /users/count over /users/{userId}; /users/mobile/{userId} has one segment
// more than /users/{userId} and cannot be confused with it.
func (s *Server) routes() {
	const v1 = "/koodrive/ose/v1"
	const admin = "/koodrive/admin/v1"
	small, large := s.cfg.MaxBodyBytes, s.cfg.MaxImportBodyBytes

	s.mux.Handle("GET /healthz", s.public(s.health))

	s.mux.Handle("POST "+v1+"/users", s.tokenOrApp(small, s.createUser))
	s.mux.Handle("POST "+v1+"/users/batchimport/preverify", s.tokenOnly(large, s.preverifyImport))
	s.mux.Handle("POST "+v1+"/users/batchimport/upload", s.tokenOrApp(s.cfg.MaxUploadBytes, s.uploadImport))
	s.mux.Handle("GET "+v1+"/users/batchimport/{resultId}", s.tokenOrApp(small, s.importReport))
	s.mux.Handle("GET "+v1+"/users/batchimport/{resultId}/failedRows", s.tokenOrApp(small, s.uploadFailedRows))
	s.mux.Handle("POST "+v1+"/task/create", s.tokenOrApp(small, s.createTask))
	s.mux.Handle("GET "+v1+"/task/list", s.tokenOrApp(small, s.listTasks))
	s.mux.Handle("GET "+v1+"/task/result", s.tokenOrApp(small, s.taskResult))
	s.mux.Handle("GET "+v1+"/task/{taskId}", s.tokenOrApp(small, s.getTask))
	s.mux.Handle("POST "+v1+"/task/{taskId}/cancel", s.tokenOrApp(small, s.cancelTask))
	s.mux.Handle("GET "+v1+"/task/{taskId}/failedRows", s.tokenOrApp(small, s.taskFailedRows))
	s.mux.Handle("GET "+v1+"/users/count", s.tokenOrApp(small, s.countUsers))
	s.mux.Handle("GET "+v1+"/users/{userId}", s.tokenOrApp(small, s.getUser))
	s.mux.Handle("PUT "+v1+"/users/{userId}", s.tokenOrApp(small, s.updateUser))
	s.mux.Handle("DELETE "+v1+"/users/{userId}", s.tokenOrApp(small, s.deleteUser))
	s.mux.Handle("GET "+v1+"/users/mobile/{userId}", s.tokenOrApp(small, s.getUserMobile))
	s.mux.Handle("GET "+v1+"/userList", s.tokenOrApp(small, s.listUsers))

	s.mux.Handle("POST "+v1+"/departments", s.tokenOrApp(small, s.createDepartment))
	s.mux.Handle("GET "+v1+"/departments/{departmentId}", s.tokenOrApp(small, s.getDepartment))
	s.mux.Handle("PUT "+v1+"/departments/{departmentId}", s.tokenOrApp(small, s.updateDepartment))
	s.mux.Handle("DELETE "+v1+"/departments/{departmentId}", s.tokenOrApp(small, s.deleteDepartment))
	s.mux.Handle("GET "+v1+"/departmentList", s.tokenOrApp(small, s.listDepartments))

	s.mux.Handle("POST "+v1+"/space/{ownerId}", s.tokenOrApp(small, s.createSpace))
	s.mux.Handle("GET "+v1+"/space/{ownerId}", s.tokenOrApp(small, s.getSpace))
	s.mux.Handle("PUT "+v1+"/space/{ownerId}", s.tokenOrApp(small, s.updateSpace))
	s.mux.Handle("DELETE "+v1+"/space/{ownerId}", s.tokenOrApp(small, s.deleteSpace))
	s.mux.Handle("GET "+v1+"/space/userList", s.tokenOrApp(small, s.listUserSpaces))
	s.mux.Handle("GET "+v1+"/space/departmentList", s.tokenOrApp(small, s.listDepartmentSpaces))
	s.mux.Handle("GET "+v1+"/space/allocation/get", s.tokenOrApp(small, s.getAllocation))
	s.mux.Handle("GET "+v1+"/space/usage/overview", s.tokenOrApp(small, s.getUsageOverview))
	s.mux.Handle("GET "+v1+"/service/quotaUsed", s.tokenOrApp(small, s.getQuotaUsed))

	s.mux.Handle("POST "+v1+"/auditlog", s.tokenOrApp(small, s.listAuditLog))

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

	s.mux.Handle("GET "+admin+"/organization", s.tokenOnly(small, s.getOrganization))
	s.mux.Handle("PUT "+admin+"/organization", s.tokenOnly(small, s.updateOrganization))
	s.mux.Handle("PUT "+admin+"/spaces/{containerId}/usage", s.tokenOrApp(small, s.reportUsage))
}
