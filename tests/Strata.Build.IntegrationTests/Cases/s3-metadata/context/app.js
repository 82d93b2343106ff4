console.log('s3');
