console.log('layer test');
