chmod 600 lib/l.txt
