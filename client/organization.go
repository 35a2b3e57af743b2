package client

import (
	"context"
	"net/http"

	"github.com/koodrive/koodrive"
)

var _ koodrive.OrganizationService = (*OrganizationService)(nil)

// OrganizationService is koodrive.OrganizationService over koodrive's
// /koodrive/admin/v1/organization, for system administrators with a
// session token. Its methods ignore the Actor argument.
type OrganizationService struct{ c *Client }

// Organization returns the organization service.
func (c *Client) Organization() *OrganizationService { return &OrganizationService{c} }

// organizationJSON is the server's settings and totals; unallocatedGb is
// derived, so it is not read.
type organizationJSON struct {
	ID          wireID `json:"id"`
	Name        string `json:"name"`
	RootDeptID  wireID `json:"rootDeptId"`
	CapacityGB  int64  `json:"capacityGb"`
	AllocatedGB int64  `json:"allocatedGb"`
	UserCount   int64  `json:"userCount"`
	MaxUsers    int64  `json:"maxUsers"`
}

// organization has no CreatedAt: the API does not answer it.
func (o *organizationJSON) organization() *koodrive.Organization {
	return &koodrive.Organization{
		ID: koodrive.ID(o.ID), Name: o.Name, RootDeptID: koodrive.ID(o.RootDeptID), CapacityGB: o.CapacityGB,
		AllocatedGB: o.AllocatedGB, UserCount: o.UserCount, MaxUsers: o.MaxUsers,
	}
}

const organizationPath = adminV1 + "/organization"

// InitOrganization is refused (EINVALID, errors.ErrUnsupported): a server
// initializes its organization when it first starts, and no request can.
func (s *OrganizationService) InitOrganization(context.Context, koodrive.OrganizationInit) (*koodrive.Organization, bool, error) {
	return nil, false, unsupported("InitOrganization", "a server initializes its organization on first start")
}

// FindOrganization returns the organization's settings and totals (GET
// /koodrive/admin/v1/organization). Unlike the server's own service, which
// checks no one, it is for system administrators: EFORBIDDEN for others.
func (s *OrganizationService) FindOrganization(ctx context.Context) (*koodrive.Organization, error) {
	var out dataBody[organizationJSON]
	if err := s.c.do(ctx, request{method: http.MethodGet, path: organizationPath}, &out); err != nil {
		return nil, err
	}
	return out.Data.organization(), nil
}

// UpdateOrganization changes the name, capacity or user limit (PUT
// /koodrive/admin/v1/organization); nil fields stay.
func (s *OrganizationService) UpdateOrganization(ctx context.Context, _ koodrive.Actor, in koodrive.OrganizationUpdate) (*koodrive.Organization, error) {
	body := struct {
		Name       *string `json:"name,omitempty"`
		CapacityGB *int64  `json:"capacityGb,omitempty"`
		MaxUsers   *int64  `json:"maxUsers,omitempty"`
	}{in.Name, in.CapacityGB, in.MaxUsers}
	var out dataBody[organizationJSON]
	if err := s.c.do(ctx, request{method: http.MethodPut, path: organizationPath, body: body}, &out); err != nil {
		return nil, err
	}
	return out.Data.organization(), nil
}
