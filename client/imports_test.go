package client_test

import (
	"reflect"
	"testing"

	"github.com/koodrive/koodrive"
)

func TestPreverifyImport(t *testing.T) {
	f := newFake(t).on("POST /koodrive/ose/v1/users/batchimport/preverify",
		`{"code":0,"msg":"success","data":[{"isSuccess":0},{"isSuccess":1,"reason":"department Marketing was not found"}]}`)
	yes, no := true, false
	results, err := f.client().Imports().PreverifyImport(ctx, koodrive.Actor{}, bigID, []koodrive.ImportRow{
		{TargetDeptName: "Sales", PersonalCapacity: "10", IsAllocateCapacity: &yes, UserID: "ann", Name: "Ann", Mobile: "138", Email: "a@x", Line: 2, Role: "1"},
		{TargetDeptName: "Marketing", PersonalCapacity: "ten", IsAllocateCapacity: &no},
		{TargetDeptName: "Sales"},
	})
	wantNoErr(t, err)
	wantJSON(t, f.last().Body, `{"curDeptId":"1575416580416769793","users":[`+
		`{"targetDeptName":"Sales","personalCapacity":10,"isAllocateCapacity":true,"userId":"ann","name":"Ann","mobile":"138","email":"a@x"},`+
		`{"targetDeptName":"Marketing","personalCapacity":"ten","isAllocateCapacity":false},`+
		`{"targetDeptName":"Sales"}]}`)
	want := []koodrive.VerifyResult{{IsSuccess: koodrive.VerifyPass}, {IsSuccess: koodrive.VerifyFail, Reasons: []koodrive.Message{{ID: "department Marketing was not found"}}}}
	if !reflect.DeepEqual(results, want) {
		t.Errorf("results %+v, want %+v", results, want)
	}

}
