package koodrive

import "strings"

// DeptTree is a department's subtree held in memory, with the department's
// ancestors, so that the department names and paths of thousands of import
// rows resolve without a query per row.
type DeptTree struct {
	Base  *Department
	byID  map[ID]*Department
	byKey map[string][]*Department // FoldKey(name) -> departments in the subtree
	shown map[ID]string            // display paths already built
}

// NewDeptTree indexes base's subtree (which includes base) and base's
// ancestors (which make absolute paths such as "Acme/Sales/EMEA" resolvable).
func NewDeptTree(base *Department, ancestors, subtree []*Department) *DeptTree {
	t := &DeptTree{
		Base:  base,
		byID:  make(map[ID]*Department, len(ancestors)+len(subtree)),
		byKey: make(map[string][]*Department, len(subtree)),
		shown: make(map[ID]string),
	}
	for _, d := range ancestors {
		t.byID[d.ID] = d
	}
	for _, d := range subtree {
		t.byID[d.ID] = d
		if base.Contains(d.Path) {
			k := FoldKey(d.Name)
			t.byKey[k] = append(t.byKey[k], d)
		}
	}
	t.byID[base.ID] = base
	return t
}

// DisplayPath returns the names from the root down to d, joined with "/".
func (t *DeptTree) DisplayPath(d *Department) string {
	if s, ok := t.shown[d.ID]; ok {
		return s
	}
	var names []string
	for _, id := range AncestorIDs(d.Path) {
		if a, ok := t.byID[id]; ok {
			names = append(names, a.Name)
		}
	}
	s := strings.Join(names, "/")
	t.shown[d.ID] = s
	return s
}

// maxPathsShown bounds the list of candidates in an ambiguity message.
const maxPathsShown = 5

// Resolve finds the department a row names inside the subtree: "" is the base
// itself, "EMEA" any department of that name, "Sales/EMEA" an EMEA whose
// parent is Sales. Names compare ignoring case. It returns the department or
// the reason it cannot.
func (t *DeptTree) Resolve(name string) (*Department, *Message) {
	var segs []string
	for _, s := range strings.Split(name, "/") {
		if s = strings.TrimSpace(s); s != "" {
			segs = append(segs, FoldKey(s))
		}
	}
	if len(segs) == 0 {
		return t.Base, nil
	}
	var found []*Department
	for _, d := range t.byKey[segs[len(segs)-1]] {
		if t.matchesUp(d, segs[:len(segs)-1]) {
			found = append(found, d)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return nil, &Message{ID: MsgRowDeptNotFound, Params: Params{"Name": name, "Base": t.DisplayPath(t.Base)}}
	}
	paths := make([]string, 0, maxPathsShown)
	for i, d := range found {
		if i == maxPathsShown {
			paths = append(paths, "…")
			break
		}
		paths = append(paths, t.DisplayPath(d))
	}
	return nil, &Message{ID: MsgRowDeptAmbiguous, Params: Params{
		"Name": name, "Count": len(found), "Paths": strings.Join(paths, ", "),
	}}
}

// matchesUp reports whether d's ancestors, nearest first, carry the names
// segs in reverse order.
func (t *DeptTree) matchesUp(d *Department, segs []string) bool {
	for i := len(segs) - 1; i >= 0; i-- {
		p, ok := t.byID[d.ParentID]
		if !ok || FoldKey(p.Name) != segs[i] {
			return false
		}
		d = p
	}
	return true
}
