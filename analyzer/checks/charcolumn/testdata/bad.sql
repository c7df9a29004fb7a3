CREATE TABLE countries (
  code char(2) PRIMARY KEY, -- want `column countries.code is character\(2\), which pads values with spaces`
  name text
);
