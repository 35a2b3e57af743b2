package httpapi

import (
	"net/http"

	"github.com/koodrive/koodrive"
)

// organizationJSON is koodrive's organization settings and totals; KooDrive
// keeps these in its console, which has no API.
type organizationJSON struct {
	ID            koodrive.ID `json:"id"`
	Name          string      `json:"name"`
	RootDeptID    koodrive.ID `json:"rootDeptId"`
	CapacityGB    int64       `json:"capacityGb"`
	AllocatedGB   int64       `json:"allocatedGb"`
	UnallocatedGB int64       `json:"unallocatedGb"`
	UserCount     int64       `json:"userCount"`
	MaxUsers      int64       `json:"maxUsers"`
}

func toOrganizationJSON(o *koodrive.Organization) organizationJSON {
	return organizationJSON{
		ID: o.ID, Name: o.Name, RootDeptID: o.RootDeptID, CapacityGB: o.CapacityGB,
		AllocatedGB: o.AllocatedGB, UnallocatedGB: o.UnallocatedGB(), UserCount: o.UserCount, MaxUsers: o.MaxUsers,
	}
}

// getOrganization shows the settings to those who may change them.
// FindOrganization serves every request internally and checks no one, so
// the check is made here.
func (s *Server) getOrganization(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	if err := a.Authorize(koodrive.OpManageOrg, "", nil); err != nil {
		return err
	}
	o, err := s.svc.Organization.FindOrganization(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, dataBody[organizationJSON]{s.success(r), toOrganizationJSON(o)})
	return nil
}

// updateOrganizationRequest is the body of PUT /koodrive/admin/v1/organization;
// absent fields stay as they are.
type updateOrganizationRequest struct {
	Name       *string `json:"name"`
	CapacityGB *int64  `json:"capacityGb"`
	MaxUsers   *int64  `json:"maxUsers"`
}

func (s *Server) updateOrganization(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	var req updateOrganizationRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	o, err := s.svc.Organization.UpdateOrganization(r.Context(), a, koodrive.OrganizationUpdate{
		Name: req.Name, CapacityGB: req.CapacityGB, MaxUsers: req.MaxUsers,
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, dataBody[organizationJSON]{s.success(r), toOrganizationJSON(o)})
	return nil
}
