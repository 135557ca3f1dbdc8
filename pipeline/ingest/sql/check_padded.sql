{{- /* An id that may have white space around it (white space is what unicode.IsSpace calls so;
see trim.go): starting below '!' (ASCII white space), ending in ASCII white space, or, holding
a character that is not ASCII, starting or ending in U+0085..U+3000, where the other white
space lies. Only rows with a value that is not ASCII pay for the last test. A code needs no
test of its own: a padded code is not in its code list. */ -}}
{{.col}} < '!' OR suffix({{.col}}, ' ') OR suffix({{.col}}, chr(9)) OR suffix({{.col}}, chr(10)) OR suffix({{.col}}, chr(11)) OR suffix({{.col}}, chr(12)) OR suffix({{.col}}, chr(13))
  OR (strlen({{.col}}) <> length({{.col}}) AND ({{.col}} >= chr(133) AND {{.col}} < chr(12289) OR {{.col}}[-1] >= chr(133) AND {{.col}}[-1] <= chr(12288)))
