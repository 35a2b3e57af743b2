package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/koodrive/koodrive"
	"github.com/koodrive/koodrive/client"
)

func Example() {
	ctx := context.Background()
	c, err := client.New("http://127.0.0.1:8080", client.WithToken("token from koodrive token create"))
	if err != nil {
		log.Fatal(err)
	}
	// The Actor is ignored: the token decides who acts.
	var users koodrive.UserService = c.Users()
	u, err := users.CreateUser(ctx, koodrive.Actor{}, koodrive.UserCreate{UserID: "ann", Name: "Ann"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("created", u.ID)
}

func ExampleWithApp() {
	// An app acts for the user whose koodrive id it names: here the
	// administrator's, as GET /session/auth answers it (innerUserId).
	admin, _ := koodrive.ParseID("2236765703015235586")
	c, err := client.New("http://127.0.0.1:8080", client.WithApp("app id", "app secret", admin))
	if err != nil {
		log.Fatal(err)
	}
	n, err := c.Users().CountUsers(context.Background(), koodrive.Actor{}, 0)
	fmt.Println(n, err)
}

func ExampleClient_AllUsers() {
	c, _ := client.New("http://127.0.0.1:8080", client.WithToken("token"))
	for u, err := range c.AllUsers(context.Background(), koodrive.UserFilter{KeyWord: "ann"}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(u.ID, u.UserID, u.DeptName)
	}
}

func ExampleError() {
	c, _ := client.New("http://127.0.0.1:8080", client.WithToken("token"), client.WithLanguage("zh-CN"))
	_, err := c.Users().FindUserByID(context.Background(), koodrive.Actor{}, 42)
	// The domain's kind, as for any service...
	if koodrive.ErrorKind(err) == koodrive.ENOTFOUND {
		fmt.Println("no such user")
	}
	// ...and what the server said, with the trace ID of its log lines.
	var ce *client.Error
	if errors.As(err, &ce) {
		fmt.Println(ce.Status, ce.Code, ce.Msg, ce.TraceID)
	}
}
