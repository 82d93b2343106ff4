console.log("hello from the top layer");
