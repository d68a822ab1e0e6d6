package pii

import "strings"

// MaskName keeps the first character of a name: 张三丰 → 张**. The mask has a fixed length so
// that it does not reveal how long the name is.
func MaskName(name string) string {
	r := []rune(strings.TrimSpace(name))
	if len(r) == 0 {
		return ""
	}
	return string(r[0]) + "**"
}

// MaskPhone keeps the first three and last four digits of an 11-digit number: 138****0000.
// Other lengths keep only the last two characters.
func MaskPhone(phone string) string {
	r := []rune(strings.TrimSpace(phone))
	switch {
	case len(r) == 0:
		return ""
	case len(r) == 11:
		return string(r[:3]) + "****" + string(r[7:])
	case len(r) > 2:
		return strings.Repeat("*", len(r)-2) + string(r[len(r)-2:])
	default:
		return "**"
	}
}

// MaskIDNumber keeps the first and last characters of an ID number: 3****************X.
func MaskIDNumber(id string) string {
	r := []rune(strings.TrimSpace(id))
	if len(r) <= 2 {
		return strings.Repeat("*", len(r))
	}
	return string(r[0]) + strings.Repeat("*", len(r)-2) + string(r[len(r)-1])
}

// MaskAddress keeps the first six characters of an address (usually the town and village).
func MaskAddress(addr string) string {
	r := []rune(strings.TrimSpace(addr))
	if len(r) <= 6 {
		return string(r)
	}
	return string(r[:6]) + "****"
}

// MaskContact masks a contact that is a mobile number (as MaskPhone) or an e-mail address,
// which keeps the first character of the mailbox and the domain: z***@example.com.
func MaskContact(contact string) string {
	contact = strings.TrimSpace(contact)
	at := strings.LastIndex(contact, "@")
	if at < 0 {
		return MaskPhone(contact)
	}
	local := []rune(contact[:at])
	if len(local) == 0 {
		return "***" + contact[at:]
	}
	return string(local[0]) + "***" + contact[at:]
}
