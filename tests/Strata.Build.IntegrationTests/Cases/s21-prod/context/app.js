console.log('s21');
