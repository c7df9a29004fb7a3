package pglog

// zoneOffsets are the UTC offsets, in seconds, of the time zone
// abbreviations PostgreSQL prints in %t and %m (from the tz database) for
// the zones servers commonly run in. An abbreviation missing here is read
// as UTC, and Stats says so.
var zoneOffsets = map[string]int{
	"UTC": 0, "GMT": 0, "UCT": 0, "Z": 0, "WET": 0, "WEST": 3600,
	"BST": 3600, "IST": 19800, "CET": 3600, "CEST": 7200, "MET": 3600, "MEST": 7200,
	"EET": 7200, "EEST": 10800, "MSK": 10800, "SAST": 7200, "CAT": 7200, "EAT": 10800, "WAT": 3600,
	"PKT": 18000, "HKT": 28800, "SGT": 28800, "PHT": 28800, "WIB": 25200, "ICT": 25200,
	"CST": -21600, "CDT": -18000, "EST": -18000, "EDT": -14400, "MST": -25200, "MDT": -21600,
	"PST": -28800, "PDT": -25200, "AKST": -32400, "AKDT": -28800, "HST": -36000,
	"AST": -14400, "ADT": -10800, "NST": -12600, "NDT": -9000,
	"JST": 32400, "KST": 32400, "AWST": 28800, "ACST": 34200, "ACDT": 37800,
	"AEST": 36000, "AEDT": 39600, "NZST": 43200, "NZDT": 46800, "IDT": 10800,
}

// parseTimestamp reads "2006-01-02 15:04:05[.fff] [ZONE]" into Unix
// microseconds. The zone is an abbreviation from zoneOffsets or a numeric
// offset (+03, -0330); unknown abbreviations count as UTC.
func parseTimestamp(s string) (int64, bool) {
	us, _, ok := parseTimestampZone(s)
	return us, ok
}

// parseTimestampZone is parseTimestamp that also says whether the zone was
// known.
func parseTimestampZone(s string) (us int64, knownZone bool, ok bool) {
	if len(s) < 19 || s[4] != '-' || s[7] != '-' || (s[10] != ' ' && s[10] != 'T') || s[13] != ':' || s[16] != ':' {
		return 0, false, false
	}
	num := func(i, n int) (int, bool) {
		v := 0
		for j := i; j < i+n; j++ {
			c := s[j]
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	year, ok1 := num(0, 4)
	month, ok2 := num(5, 2)
	day, ok3 := num(8, 2)
	hour, ok4 := num(11, 2)
	minute, ok5 := num(14, 2)
	sec, ok6 := num(17, 2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || sec > 60 {
		return 0, false, false
	}
	i := 19
	frac := int64(0)
	if i < len(s) && s[i] == '.' {
		i++
		scale := int64(100000)
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			frac += int64(s[i]-'0') * scale
			scale /= 10
			i++
		}
	}
	offset, known := 0, true
	for i < len(s) && s[i] == ' ' {
		i++
	}
	if i < len(s) {
		zone := s[i:]
		switch {
		case zone[0] == '+' || zone[0] == '-':
			offset, known = numericOffset(zone)
		default:
			offset, known = zoneOffsets[zone]
		}
	}
	days := daysFromCivil(year, month, day)
	secs := days*86400 + int64(hour*3600+minute*60+sec) - int64(offset)
	return secs*1e6 + frac, known, true
}

// numericOffset reads +03, -0330 or +05:30.
func numericOffset(z string) (int, bool) {
	sign := 1
	if z[0] == '-' {
		sign = -1
	}
	var d []int
	for i := 1; i < len(z); i++ {
		if z[i] == ':' {
			continue
		}
		if z[i] < '0' || z[i] > '9' {
			return 0, false
		}
		d = append(d, int(z[i]-'0'))
	}
	switch len(d) {
	case 2:
		return sign * (d[0]*10 + d[1]) * 3600, true
	case 4:
		return sign * ((d[0]*10+d[1])*3600 + (d[2]*10+d[3])*60), true
	}
	return 0, false
}

// daysFromCivil returns the days since 1970-01-01 of a proleptic
// Gregorian date (Howard Hinnant's algorithm).
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}

// parseEpoch reads %n: seconds since the epoch with a fraction.
func parseEpoch(s string) (int64, bool) {
	var sec int64
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		sec = sec*10 + int64(s[i]-'0')
		if sec > 1<<40 {
			return 0, false
		}
		i++
	}
	if i == 0 {
		return 0, false
	}
	var frac int64
	if i < len(s) && s[i] == '.' {
		scale := int64(100000)
		for i++; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			frac += int64(s[i]-'0') * scale
			scale /= 10
		}
	}
	return sec*1e6 + frac, true
}
