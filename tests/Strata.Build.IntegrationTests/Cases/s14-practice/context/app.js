console.log('practice');
