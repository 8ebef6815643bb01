package server

import (
	"context"
	"net/http"

	"github.com/whereas/whereas/web"
)

// Every form post that succeeds ends in saved: the browser is sent to the next page
// (POST/redirect/GET, so a reload does not send the form again) and that page says, once,
// what was saved, in the layout's role="status" notice. A post whose answer shows a secret
// once (a new password, token or recovery codes) renders that answer instead, with its
// notice given by noticed, so the secret never rests in the session store.

// saved redirects to the page at to, which shows notice once.
func (s *Server) saved(w http.ResponseWriter, r *http.Request, to, notice string) error {
	s.sessions.Put(r.Context(), flashKey, notice)
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// noticed is ctx for a page rendered as the answer to a successful post, saying notice.
func noticed(ctx context.Context, notice string) context.Context {
	return web.WithFlash(ctx, notice)
}

// confirmed reports whether a destructive post carries confirm=yes. When it does not,
// nothing is changed: the answer is the confirmation page c (see web.Confirmation), which
// says what will happen and posts the same values again, to the same address, confirmed.
// A handler starts with
//
//	if ok, err := confirmed(w, r, web.Confirmation{…}); !ok {
//		return err
//	}
//
// so the button on a page can post straight to the action and still be asked, with or
// without JavaScript.
func confirmed(w http.ResponseWriter, r *http.Request, c web.Confirmation) (bool, error) {
	if r.PostFormValue("confirm") == "yes" {
		return true, nil
	}
	c.Action, c.Carry = r.URL.Path, r.PostForm
	return false, render(r.Context(), w, http.StatusOK, web.ConfirmPage(c))
}
