lorem ipsum dolor sit amet;
this is not SQL at all
