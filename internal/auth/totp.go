package auth

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// The TOTP parameters every authenticator app understands (RFC 6238's defaults): six
// digits, a new code every 30 seconds, HMAC-SHA1.
var totpOptions = totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// TOTPKey is a new TOTP secret for an account: the secret as text, to type into an app,
// and the otpauth:// URL a QR code carries.
type TOTPKey struct {
	Secret  string
	URL     string
	Account string // the account name the URL carries
	key     *otp.Key
}

// NewTOTPKey makes a fresh 160-bit TOTP secret for account at issuer.
func NewTOTPKey(issuer, account string) (TOTPKey, error) {
	k, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1, SecretSize: 20})
	if err != nil {
		return TOTPKey{}, err
	}
	return TOTPKey{Secret: k.Secret(), URL: k.URL(), Account: k.AccountName(), key: k}, nil
}

// TOTPKeyFromURL is the key an otpauth:// URL describes (an enrolment in progress keeps
// its URL in the session until the first code confirms it).
func TOTPKeyFromURL(u string) (TOTPKey, error) {
	k, err := otp.NewKeyFromURL(u)
	if err != nil {
		return TOTPKey{}, err
	}
	return TOTPKey{Secret: k.Secret(), URL: k.URL(), Account: k.AccountName(), key: k}, nil
}

// QRCodePNG draws the key's otpauth:// URL as a QR code, a PNG of size×size pixels.
func (k TOTPKey) QRCodePNG(size int) ([]byte, error) {
	img, err := k.key.Image(size, size)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// TOTPStep is the 30-second time step a code belongs to.
func TOTPStep(t time.Time) int64 { return t.Unix() / 30 }

// CheckTOTP checks a six-digit code against secret at now, allowing one step either way
// for a phone's clock, and returns the step the code belongs to. The caller accepts the
// code only if that step is later than the last one it accepted, so no code (nor an older
// one) works twice.
func CheckTOTP(secret, code string, now time.Time) (step int64, ok bool) {
	code = strings.Join(strings.Fields(code), "")
	if len(code) != 6 {
		return 0, false
	}
	found := false
	for d := int64(-1); d <= 1; d++ {
		s := TOTPStep(now) + d
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*30, 0), totpOptions)
		if err != nil {
			return 0, false
		}
		// Every candidate is compared, in constant time, whatever matched before.
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 && !found {
			step, found = s, true
		}
	}
	return step, found
}

// TOTPCode is the code for secret at t, as an authenticator app would show it (tests and
// the command line use it; the server only checks codes).
func TOTPCode(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, t, totpOptions)
}

// RecoveryCodeCount is how many recovery codes an enrolment gives.
const RecoveryCodeCount = 10

// recoveryAlphabet leaves out letters and digits that are easily confused (0/o, 1/l/i).
const recoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// NewRecoveryCodes returns RecoveryCodeCount single-use codes, each ten characters from a
// 31-letter alphabet (about 49 bits) written as two groups of five, and their hashes,
// which are all that is stored. The codes are random, not chosen by people, so one
// SHA-256 suffices, as for API tokens.
func NewRecoveryCodes() (codes, hashes []string) {
	for range RecoveryCodeCount {
		b := make([]byte, 10)
		_, _ = rand.Read(b)
		c := make([]byte, 0, 11)
		for i, x := range b {
			if i == 5 {
				c = append(c, '-')
			}
			// 256 is not a multiple of 31: the slight bias costs under a bit of the 49.
			c = append(c, recoveryAlphabet[int(x)%len(recoveryAlphabet)])
		}
		codes = append(codes, string(c))
		hashes = append(hashes, HashRecoveryCode(string(c)))
	}
	return codes, hashes
}

// HashRecoveryCode is how a recovery code is stored and looked up: lower-cased, without
// spaces or dashes, SHA-256 in hex.
func HashRecoveryCode(code string) string {
	code = strings.ToLower(strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(code)))
	h := sha256.Sum256([]byte(code))
	return hex.EncodeToString(h[:])
}
